// The text sent to the debugger: printed from the parsed form, never copied from the user's text,
// so whitespace, quotes or anything the parser did not read cannot reach `evaluate`. Spacing is
// fixed (`(struct heap *)0x20001000`, `a + b`), and two tokens that would lex as one (`& &x`) are
// kept apart, so parsing the printed text gives the same tree.
import { type Expr, type NumberLiteral, type TypeName, isTypeName } from './syntax';

export function printType(type: TypeName | NumberLiteral): string {
  if ('kind' in type) return type.text;
  const name = type.path.join('::') + (type.generic ? `<${printType(type.generic)}>` : '');
  const c = [...type.keywords, ...(name ? [name] : [])].join(' ') + (type.stars > 0 ? ` ${'*'.repeat(type.stars)}` : '');
  return type.rustPointers.map(p => `${p} `).join('') + c;
}

export function printExpression(expr: Expr): string {
  switch (expr.kind) {
    case 'path':
      return expr.segments.join('::');
    case 'number':
      return expr.text;
    case 'paren':
      return `(${printExpression(expr.inner)})`;
    case 'field':
      return `${printExpression(expr.base)}${expr.arrow ? '->' : '.'}${expr.name}`;
    case 'index':
      return `${printExpression(expr.base)}[${expr.index.text}]`;
    case 'deref':
      return `*${printExpression(expr.operand)}`;
    case 'addressOf': {
      const operand = printExpression(expr.operand);
      return operand.startsWith('&') ? `& ${operand}` : `&${operand}`;
    }
    case 'cast':
      return `(${printType(expr.type)})${printExpression(expr.operand)}`;
    case 'as':
      return `${printExpression(expr.operand)} as ${printType(expr.type)}`;
    case 'sizeof':
      if (isTypeName(expr.operand)) return `sizeof(${printType(expr.operand)})`;
      return expr.operand.kind === 'paren' ? `sizeof${printExpression(expr.operand)}` : `sizeof ${printExpression(expr.operand)}`;
    case 'binary':
      return `${printExpression(expr.left)} ${expr.op} ${printExpression(expr.right)}`;
    case 'methodCall':
      // The lock rewrite removes every call; one reaching here is a bug, and must not reach the debugger.
      throw new Error(`internal error: the call .${expr.name}() was not rewritten before printing`);
  }
}

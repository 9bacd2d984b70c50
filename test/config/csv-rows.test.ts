import { expect } from 'chai';

import { hasLineBreak, readCsvRows } from '../../lib/config/csv-rows.js';

const FILE = 'config/x.csv';

/** Rows as `line: cells` so a failing case shows both at a glance. */
function rowsOf(text: string): string[] {
  const { rows, errors } = readCsvRows(text, FILE);
  expect(errors.map((e) => e.message)).to.deep.equal([]);
  return rows.map((row) => `${row.line}: ${JSON.stringify(row.cells)}`);
}

describe('readCsvRows', () => {
  const good: [name: string, text: string, expected: string[]][] = [
    ['plain rows', 'a,b\nc,d\n', ['1: ["a","b"]', '2: ["c","d"]']],
    ['no final line break', 'a,b\nc,d', ['1: ["a","b"]', '2: ["c","d"]']],
    [
      'comments and blank lines keep line numbers',
      '# one\n\n# two\na,b\n\n\nc,d\n',
      ['4: ["a","b"]', '7: ["c","d"]'],
    ],
    ['indented comment, whitespace-only line', '  # c\na,b\n \t \nc,d', ['2: ["a","b"]', '4: ["c","d"]']],
    ['comment containing a stray quote', '# it\'s "odd\na,b', ['2: ["a","b"]']],
    ['# inside a value is data', 'a,Room #5,c', ['1: ["a","Room #5","c"]']],
    ['whitespace around cells trimmed', '  a  ,  b ,c\t', ['1: ["a","b","c"]']],
    ['quoted value with embedded comma', 'a,"Lab, 2nd floor",c', ['1: ["a","Lab, 2nd floor","c"]']],
    ['doubled quote inside quotes', 'a,"say ""hi""",c', ['1: ["a","say \\"hi\\"","c"]']],
    ['spaces inside quotes kept', 'a," b "', ['1: ["a"," b "]']],
    ['UTF-8 BOM stripped', '\uFEFFa,b\nc,d', ['1: ["a","b"]', '2: ["c","d"]']],
    ['CRLF', 'a,b\r\n# c\r\n\r\nc,d\r\n', ['1: ["a","b"]', '4: ["c","d"]']],
    ['lone CR', 'a,b\rc,d\r', ['1: ["a","b"]', '2: ["c","d"]']],
    ['rows of any length', 'a\nb,c,d,e\n', ['1: ["a"]', '2: ["b","c","d","e"]']],
    ['all-empty row skipped', 'a,b\n , ,\nc,d', ['1: ["a","b"]', '3: ["c","d"]']],
    [
      'multi-line value: line of its start (LF)',
      'a,b\nc,"x\ny\nz"\ne,f',
      ['1: ["a","b"]', '2: ["c","x\\ny\\nz"]', '5: ["e","f"]'],
    ],
    [
      'multi-line value: line of its start (CRLF)',
      'a,b\r\n"m\r\nn",d\r\n# c\r\nx,y\r\n',
      ['1: ["a","b"]', '2: ["m\\r\\nn","d"]', '5: ["x","y"]'],
    ],
    ['multi-line value after comments', '# c\n\n"e\n",f\ng,h', ['3: ["e\\n","f"]', '5: ["g","h"]']],
    [
      'non-ASCII text before',
      '\uFEFFé,ü\n# ç\nx,"y\nz"\nq,r',
      ['1: ["é","ü"]', '3: ["x","y\\nz"]', '5: ["q","r"]'],
    ],
  ];
  for (const [name, text, expected] of good) {
    it(name, () => expect(rowsOf(text)).to.deep.equal(expected));
  }

  const bad: [name: string, text: string, expected: string[]][] = [
    [
      'unclosed quote: the line where it opens',
      'a,b\n# c\n\nc,"d\ne,f\n',
      ['config/x.csv:4: a quote (") opened here is never closed'],
    ],
    [
      'quote in the middle of a value, after a multi-line CRLF record',
      'a,b\r\n"x\r\ny",z\r\nc,d"x"\r\ne,f\r\n',
      [
        'config/x.csv:4: a quote (") in the middle of a value; quote the whole value and double any quote inside it ("")',
      ],
    ],
    [
      'text after a closing quote',
      'a,"b"x,c\n',
      [
        'config/x.csv:1: text after a closing quote ("); quote the whole value and double any quote inside it ("")',
      ],
    ],
  ];
  for (const [name, text, expected] of bad) {
    it(`reports ${name}`, () => {
      expect(readCsvRows(text, FILE).errors.map((e) => e.message)).to.deep.equal(expected);
    });
  }

  it('keeps the rows before and after a bad line', () => {
    const { rows } = readCsvRows('a,b\nc,d"x"\ne,f\n', FILE);
    expect(rows.map((r) => r.line)).to.deep.equal([1, 3]);
  });

  it('hasLineBreak spots CR and LF', () => {
    expect([hasLineBreak('a\nb'), hasLineBreak('a\rb'), hasLineBreak('a b')]).to.deep.equal([
      true,
      true,
      false,
    ]);
  });
});

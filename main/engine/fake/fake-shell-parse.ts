/**
 * The syntax of the fake shell: what `sh -c` scripts in gateway and terminal tests use — simple
 * commands with quoting ('…', "…", \), $VAR / ${VAR} / $? / $1, NAME=value assignments, ; && || |
 * and redirections (> >> < 2> 2>&1 >&2). Anything else (if, loops, $(…), &) is refused loudly as a
 * syntax error rather than run wrongly, so a test that needs more finds out at once.
 */
export type Segment = { lit: string } | { param: string };
export type Word = Segment[];

export interface Redirect {
  fd: number;
  op: '>' | '>>' | '<' | '>&';
  /** A file name, or for '>&' the target descriptor. */
  target: Word | number;
}

export interface SimpleCommand {
  words: Word[];
  redirects: Redirect[];
}

export type Pipeline = SimpleCommand[];
export interface AndOr { first: Pipeline; rest: { op: '&&' | '||'; pipeline: Pipeline }[] }
export type Script = AndOr[];

export class ShellSyntaxError extends Error {}

type Token = { word: Word } | { op: ';' | '&&' | '||' | '|' } | { redirect: Omit<Redirect, 'target'> & { fdTarget?: number } };

const UNSUPPORTED = new Set(['if', 'then', 'else', 'elif', 'fi', 'for', 'while', 'until', 'do', 'done', 'case', 'esac', 'function', '{', '}', '(', ')']);

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let word: Word | null = null;
  const lit = (s: string) => {
    word ??= [];
    const last = word[word.length - 1];
    if (last && 'lit' in last) last.lit += s;
    else word.push({ lit: s });
  };
  const endWord = () => {
    if (word) out.push({ word });
    word = null;
  };
  let i = 0;
  const param = (): void => {
    const rest = src.slice(i + 1);
    const m = /^(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*|[0-9?#$]))/.exec(rest);
    if (rest.startsWith('(')) throw new ShellSyntaxError('command substitution $(…) is not supported by the fake shell');
    if (!m) return void (lit('$'), (i += 1));
    word ??= [];
    word.push({ param: (m[1] ?? m[2])! });
    i += 1 + m[0].length;
  };
  while (i < src.length) {
    const ch = src[i]!;
    if (ch === ' ' || ch === '\t') { endWord(); i++; continue; }
    if (ch === '\n' || ch === ';') { endWord(); out.push({ op: ';' }); i++; continue; }
    if (ch === '#' && !word) { while (i < src.length && src[i] !== '\n') i++; continue; }
    if (ch === '&' || ch === '|') {
      endWord();
      if (src[i + 1] === ch) { out.push({ op: ch === '&' ? '&&' : '||' }); i += 2; continue; }
      if (ch === '&') throw new ShellSyntaxError('background jobs (&) are not supported by the fake shell');
      out.push({ op: '|' });
      i++;
      continue;
    }
    if (ch === '>' || ch === '<') {
      // A word of only digits right before the operator is its descriptor: 2>, 1>&2.
      const fdWord = word as Word | null;
      const fdText = fdWord && fdWord.length === 1 && 'lit' in fdWord[0]! && /^\d$/.test(fdWord[0].lit) ? fdWord[0].lit : null;
      if (fdText) word = null;
      else endWord();
      const fd = fdText ? Number(fdText) : ch === '>' ? 1 : 0;
      if (ch === '<') { out.push({ redirect: { fd, op: '<' } }); i++; continue; }
      if (src[i + 1] === '>') { out.push({ redirect: { fd, op: '>>' } }); i += 2; continue; }
      if (src[i + 1] === '&') {
        const m = /^\d/.exec(src.slice(i + 2));
        if (!m) throw new ShellSyntaxError('only >&1 and >&2 style duplication is supported by the fake shell');
        out.push({ redirect: { fd, op: '>&', fdTarget: Number(m[0]) } });
        i += 3;
        continue;
      }
      out.push({ redirect: { fd, op: '>' } });
      i++;
      continue;
    }
    if (ch === "'") {
      const end = src.indexOf("'", i + 1);
      if (end < 0) throw new ShellSyntaxError('unterminated quoted string');
      lit(src.slice(i + 1, end));
      i = end + 1;
      continue;
    }
    if (ch === '"') {
      word ??= [];
      i++;
      while (src[i] !== '"') {
        if (i >= src.length) throw new ShellSyntaxError('unterminated quoted string');
        const c = src[i]!;
        if (c === '\\' && '"$`\\'.includes(src[i + 1] ?? '')) { lit(src[i + 1]!); i += 2; }
        else if (c === '$') param();
        else if (c === '`') throw new ShellSyntaxError('command substitution `…` is not supported by the fake shell');
        else { lit(c); i++; }
      }
      i++;
      continue;
    }
    if (ch === '\\') {
      if (src[i + 1] !== '\n') lit(src[i + 1] ?? '');
      i += 2;
      continue;
    }
    if (ch === '$') { param(); continue; }
    if (ch === '`' || ch === '(' || ch === ')') throw new ShellSyntaxError(`"${ch}" is not supported by the fake shell`);
    lit(ch);
    i++;
  }
  endWord();
  return out;
}

export function parseScript(src: string): Script {
  const tokens = tokenize(src);
  const script: Script = [];
  let pos = 0;
  const peek = () => tokens[pos];
  const command = (): SimpleCommand => {
    const cmd: SimpleCommand = { words: [], redirects: [] };
    for (let t = peek(); t && !('op' in t); t = peek()) {
      pos++;
      if ('word' in t) {
        const first = cmd.words.length === 0 && t.word.length === 1 && 'lit' in t.word[0]! ? t.word[0].lit : null;
        if (first !== null && UNSUPPORTED.has(first)) throw new ShellSyntaxError(`"${first}" is not supported by the fake shell`);
        cmd.words.push(t.word);
      } else if (t.redirect.op === '>&') {
        cmd.redirects.push({ fd: t.redirect.fd, op: '>&', target: t.redirect.fdTarget! });
      } else {
        const target = tokens[pos++];
        if (!target || !('word' in target)) throw new ShellSyntaxError('a redirection needs a file name');
        cmd.redirects.push({ fd: t.redirect.fd, op: t.redirect.op, target: target.word });
      }
    }
    if (cmd.words.length === 0 && cmd.redirects.length === 0) throw new ShellSyntaxError(`unexpected "${(peek() as { op?: string })?.op ?? 'end'}"`);
    return cmd;
  };
  const pipeline = (): Pipeline => {
    const cmds = [command()];
    while ((peek() as { op?: string })?.op === '|') { pos++; cmds.push(command()); }
    return cmds;
  };
  while (pos < tokens.length) {
    const t = peek()!;
    if ('op' in t && t.op === ';') { pos++; continue; }
    const andOr: AndOr = { first: pipeline(), rest: [] };
    for (let n = peek(); n && 'op' in n && (n.op === '&&' || n.op === '||'); n = peek()) {
      pos++;
      // A newline may follow && or || (tokenized as ';').
      while ((peek() as { op?: string })?.op === ';') pos++;
      andOr.rest.push({ op: n.op, pipeline: pipeline() });
    }
    script.push(andOr);
  }
  return script;
}

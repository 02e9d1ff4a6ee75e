// A small runner for .http files (the VS Code REST Client / JetBrains format, the subset examples/ uses):
// `@name = value` variables, `###` between requests, `# @name x` to keep an answer, `# expect <status>`,
// and `{{x.response.body.$.a.b}}`, `{{x.response.headers.Name}}`, `{{$timestamp}}` in URLs, headers, bodies.
export interface HttpRequest {
  title: string;
  name?: string;
  expect?: number;
  method: string;
  url: string;
  headers: [string, string][];
  body?: string;
}
export interface HttpAnswer {
  status: number;
  headers: Headers;
  body: unknown;
}

export function parseHttpFile(text: string): { variables: Record<string, string>; requests: HttpRequest[] } {
  const variables: Record<string, string> = {};
  const requests: HttpRequest[] = [];
  const [head, ...blocks] = text.split(/^###/m);
  for (const line of head.split('\n')) {
    const variable = /^@(\w+)\s*=\s*(.*)$/.exec(line.trim());
    if (variable) variables[variable[1]] = variable[2];
  }
  for (const block of blocks) {
    const lines = block.split('\n');
    const request: Partial<HttpRequest> & { headers: [string, string][] } = { title: lines[0].trim(), headers: [] };
    let i = 1;
    for (; i < lines.length; i++) {
      const line = lines[i].trim();
      if (line === '') continue;
      if (line.startsWith('#')) {
        const name = /^#\s*@name\s+(\w+)/.exec(line);
        const expected = /^#\s*expect\s+(\d{3})/.exec(line);
        if (name) request.name = name[1];
        if (expected) request.expect = Number(expected[1]);
        continue;
      }
      const [method, url] = line.split(/\s+/);
      Object.assign(request, { method, url });
      i++;
      break;
    }
    for (; i < lines.length && lines[i].trim() !== ''; i++) {
      const at = lines[i].indexOf(':');
      request.headers.push([lines[i].slice(0, at).trim(), lines[i].slice(at + 1).trim()]);
    }
    const body = lines.slice(i).join('\n').trim();
    if (body) request.body = body;
    requests.push(request as HttpRequest);
  }
  return { variables, requests };
}

/** Replaces every {{…}} from the variables and the named answers so far; an unknown reference is an error. */
export function substitute(text: string, variables: Record<string, string>, answers: Record<string, HttpAnswer>): string {
  return text.replace(/\{\{\s*([^}]+?)\s*\}\}/g, (_, expression: string) => {
    if (expression === '$timestamp') return String(Date.now());
    if (expression in variables) return substitute(variables[expression], variables, answers);
    const reference = /^(\w+)\.response\.(body|headers)\.(.+)$/.exec(expression);
    const answer = reference && answers[reference[1]];
    if (!reference || !answer) throw new Error(`{{${expression}}} names nothing defined before it`);
    if (reference[2] === 'headers') return answer.headers.get(reference[3]) ?? '';
    const value = reference[3].replace(/^\$\.?/, '').split('.').reduce<unknown>((at, key) => (at as Record<string, unknown> | undefined)?.[key], answer.body);
    if (value === undefined) throw new Error(`{{${expression}}} is not in the answer`);
    return String(value);
  });
}

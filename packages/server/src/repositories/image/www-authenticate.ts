/** One challenge of a `WWW-Authenticate` header: its scheme and parameters. */
export interface AuthChallenge {
  /** Lower-cased: `bearer` or `basic`. */
  readonly scheme: string;
  /** Parameter names lower-cased: `realm`, `service`, `scope`, `error`. */
  readonly params: Readonly<Record<string, string>>;
}

/**
 * Parses `Bearer realm="https://auth.example/token",service="registry",scope="repository:a:pull"`
 * (RFC 7235; quoted values may contain commas and escaped quotes). Several challenges in one header
 * are returned in order; malformed parts are skipped rather than failing the whole header.
 */
export function parseWwwAuthenticate(header: string): AuthChallenge[] {
  const challenges: { scheme: string; params: Record<string, string> }[] = [];
  let index = 0;
  const length = header.length;
  const skipSpaces = () => {
    while (index < length && /[\s,]/.test(header[index] ?? '')) index += 1;
  };
  const readToken = () => {
    const start = index;
    while (index < length && /[^\s,=]/.test(header[index] ?? '')) index += 1;
    return header.slice(start, index);
  };
  while (index < length) {
    skipSpaces();
    const word = readToken();
    if (word === '') {
      index += 1;
      continue;
    }
    while (index < length && header[index] === ' ') index += 1;
    if (header[index] === '=' && challenges.length > 0) {
      // A parameter of the current challenge.
      index += 1;
      while (index < length && header[index] === ' ') index += 1;
      let value = '';
      if (header[index] === '"') {
        index += 1;
        while (index < length && header[index] !== '"') {
          if (header[index] === '\\' && index + 1 < length) index += 1;
          value += header[index] ?? '';
          index += 1;
        }
        index += 1;
      } else {
        value = readToken();
      }
      const current = challenges[challenges.length - 1];
      if (current !== undefined) current.params[word.toLowerCase()] = value;
    } else {
      challenges.push({ scheme: word.toLowerCase(), params: {} });
    }
  }
  return challenges;
}

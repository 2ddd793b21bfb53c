import { lexer, type Token, type Tokens } from 'marked';
import type { ComponentChildren, VNode } from 'preact';
import { TableScroll } from '../ui/table-scroll.js';
import { decodeEntities } from './html-entities.js';

/**
 * Markdown from a plugin (description, long description) rendered as Preact elements built from
 * marked's tokens — never through `innerHTML`. So it is sanitized by construction: raw HTML in
 * the text is shown as the text it is, links and images only keep http(s)/mailto URLs, and no
 * element ever gets an event handler or a style from the document.
 */
export function MarkdownView({
  source,
  headingOffset = 2,
}: {
  readonly source: string;
  readonly headingOffset?: number;
}) {
  return <div class="markdown">{blocks(lexer(source), headingOffset)}</div>;
}

/** URL schemes a link in plugin docs may use. */
const LINK_PROTOCOLS = new Set(['http:', 'https:', 'mailto:']);
/** URL schemes an image in plugin docs may use. */
const IMAGE_PROTOCOLS = new Set(['http:', 'https:']);

/** The URL when it is absolute and its scheme is allowed (or an allowed `#fragment`), else undefined. */
export function safeUrl(
  href: string,
  protocols: ReadonlySet<string>,
  allowFragment = false,
): string | undefined {
  const trimmed = href.trim();
  if (allowFragment && /^#[\w-]*$/.test(trimmed)) return trimmed;
  try {
    const url = new URL(trimmed);
    return protocols.has(url.protocol) ? url.href : undefined;
  } catch {
    return undefined;
  }
}

function blocks(tokens: readonly Token[], offset: number): ComponentChildren[] {
  return tokens.map((token, index) => block(token, offset, index));
}

function block(token: Token, offset: number, key: number): ComponentChildren {
  switch (token.type) {
    case 'heading': {
      const t = token as Tokens.Heading;
      const Tag = `h${Math.min(6, t.depth + offset)}` as 'h3';
      return <Tag key={key}>{inline(t.tokens)}</Tag>;
    }
    case 'paragraph':
      return <p key={key}>{inline((token as Tokens.Paragraph).tokens)}</p>;
    case 'code':
      return (
        <pre key={key}>
          <code>{(token as Tokens.Code).text}</code>
        </pre>
      );
    case 'blockquote':
      return (
        <blockquote key={key}>{blocks((token as Tokens.Blockquote).tokens, offset)}</blockquote>
      );
    case 'list':
      return list(token as Tokens.List, offset, key);
    case 'table':
      return table(token as Tokens.Table, key);
    case 'hr':
      return <hr key={key} />;
    case 'space':
    case 'def':
      return null;
    case 'text': {
      const t = token as Tokens.Text;
      return <p key={key}>{t.tokens === undefined ? decodeEntities(t.text) : inline(t.tokens)}</p>;
    }
    default:
      // Raw HTML blocks and anything unknown: shown as the text they are.
      return (
        <pre key={key} class="markdown-raw">
          {'raw' in token ? String(token.raw) : ''}
        </pre>
      );
  }
}

function list(token: Tokens.List, offset: number, key: number): VNode {
  const items = token.items.map((item, index) => (
    <li key={index}>
      {item.task ? (
        <span aria-label={item.checked === true ? 'done' : 'not done'}>
          {item.checked === true ? '☑ ' : '☐ '}
        </span>
      ) : null}
      {item.tokens.map((child, childIndex) =>
        child.type === 'text' && !item.loose ? (
          <span key={childIndex}>{inline((child as Tokens.Text).tokens ?? [child])}</span>
        ) : child.type === 'checkbox' ? null : (
          block(child, offset, childIndex)
        ),
      )}
    </li>
  ));
  if (token.ordered) {
    const start = typeof token.start === 'number' ? token.start : 1;
    return (
      <ol key={key} start={start}>
        {items}
      </ol>
    );
  }
  return <ul key={key}>{items}</ul>;
}

function table(token: Tokens.Table, key: number): VNode {
  const align = (value: string | null) => (value === null ? undefined : `align-${value}`);
  return (
    <TableScroll label="Table" key={key}>
      <table>
        <thead>
          <tr>
            {token.header.map((cell, index) => (
              <th key={index} scope="col" class={align(cell.align)}>
                {inline(cell.tokens)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {token.rows.map((row, rowIndex) => (
            <tr key={rowIndex}>
              {row.map((cell, index) => (
                <td key={index} class={align(cell.align)}>
                  {inline(cell.tokens)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}

function inline(tokens: readonly Token[]): ComponentChildren[] {
  return tokens.map((token, key) => inlineToken(token, key));
}

function inlineToken(token: Token, key: number): ComponentChildren {
  switch (token.type) {
    case 'text': {
      const t = token as Tokens.Text;
      return t.tokens === undefined ? (
        decodeEntities(t.text)
      ) : (
        <span key={key}>{inline(t.tokens)}</span>
      );
    }
    case 'escape':
      return (token as Tokens.Escape).text;
    case 'strong':
      return <strong key={key}>{inline((token as Tokens.Strong).tokens)}</strong>;
    case 'em':
      return <em key={key}>{inline((token as Tokens.Em).tokens)}</em>;
    case 'del':
      return <del key={key}>{inline((token as Tokens.Del).tokens)}</del>;
    case 'codespan':
      return <code key={key}>{(token as Tokens.Codespan).text}</code>;
    case 'br':
      return <br key={key} />;
    case 'link': {
      const t = token as Tokens.Link;
      const href = safeUrl(t.href, LINK_PROTOCOLS, true);
      if (href === undefined) return <span key={key}>{inline(t.tokens)}</span>;
      return (
        <a
          key={key}
          href={href}
          title={t.title ?? undefined}
          rel="nofollow noopener noreferrer ugc"
          target="_blank"
        >
          {inline(t.tokens)}
        </a>
      );
    }
    case 'image': {
      const t = token as Tokens.Image;
      const src = safeUrl(t.href, IMAGE_PROTOCOLS);
      if (src === undefined) return decodeEntities(t.text);
      return (
        <img
          key={key}
          src={src}
          alt={decodeEntities(t.text)}
          title={t.title ?? undefined}
          loading="lazy"
          referrerpolicy="no-referrer"
        />
      );
    }
    default:
      // Inline HTML (`<img onerror=…>`, `<script>`) and unknown tokens: the literal text.
      return 'raw' in token ? String(token.raw) : '';
  }
}

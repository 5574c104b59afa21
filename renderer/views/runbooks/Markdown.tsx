// Runbook prose as React elements, from marked's token tree: no HTML string is ever injected, so
// raw HTML in a runbook shows as text and cannot run. Links open only for http(s) and mailto;
// images come from the runbook's own folder through `loadImage` (a data URL), never from the web.
import { Lexer, type Token, type Tokens } from 'marked';
import { Fragment, createContext, useContext, useEffect, useState, type ReactNode } from 'react';

/** Loads an image a runbook references (relative to its file) as a data URL. */
export type ImageLoader = (src: string) => Promise<string>;
const ImageLoaderContext = createContext<ImageLoader | undefined>(undefined);

function RunbookImage({ src, alt }: { src: string; alt: string }) {
  const load = useContext(ImageLoaderContext);
  const [state, setState] = useState<{ url?: string; error?: string }>({});
  useEffect(() => {
    let live = true;
    if (load && !/^[a-z]+:/i.test(src)) {
      load(src).then(
        (url) => live && setState({ url }),
        (error: unknown) => live && setState({ error: error instanceof Error ? error.message : String(error) }),
      );
    }
    return () => {
      live = false;
    };
  }, [load, src]);
  if (state.url) return <img className="rb-img" src={state.url} alt={alt} />;
  return (
    <span className="rb-image" title={state.error ?? src}>
      [image: {alt || src}]
    </span>
  );
}

const SAFE_LINK = /^(https?:|mailto:)/i;

function inline(tokens: Token[] | undefined, key = ''): ReactNode[] {
  return (tokens ?? []).map((t, i) => {
    const k = `${key}${i}`;
    switch (t.type) {
      case 'strong':
        return <strong key={k}>{inline((t as Tokens.Strong).tokens, k)}</strong>;
      case 'em':
        return <em key={k}>{inline((t as Tokens.Em).tokens, k)}</em>;
      case 'del':
        return <del key={k}>{inline((t as Tokens.Del).tokens, k)}</del>;
      case 'codespan':
        return <code key={k}>{(t as Tokens.Codespan).text.replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'")}</code>;
      case 'br':
        return <br key={k} />;
      case 'link': {
        const link = t as Tokens.Link;
        return SAFE_LINK.test(link.href) ? (
          <a key={k} href={link.href} target="_blank" rel="noopener noreferrer" title={link.title ?? undefined}>
            {inline(link.tokens, k)}
          </a>
        ) : (
          <span key={k} className="rb-link-local" title={link.href}>
            {inline(link.tokens, k)}
          </span>
        );
      }
      case 'image': {
        const image = t as Tokens.Image;
        return <RunbookImage key={k} src={image.href} alt={image.text} />;
      }
      case 'text': {
        const text = t as Tokens.Text;
        return text.tokens ? <Fragment key={k}>{inline(text.tokens, k)}</Fragment> : <Fragment key={k}>{decode(text.text)}</Fragment>;
      }
      case 'escape':
        return <Fragment key={k}>{decode((t as Tokens.Escape).text)}</Fragment>;
      default:
        return <Fragment key={k}>{t.raw}</Fragment>;
    }
  });
}

const decode = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');

function block(t: Token, k: string): ReactNode {
  switch (t.type) {
    case 'heading': {
      const h = t as Tokens.Heading;
      const Tag = `h${Math.min(6, h.depth + 1)}` as 'h2';
      return <Tag key={k}>{inline(h.tokens, k)}</Tag>;
    }
    case 'paragraph':
      return <p key={k}>{inline((t as Tokens.Paragraph).tokens, k)}</p>;
    case 'blockquote':
      return <blockquote key={k}>{(t as Tokens.Blockquote).tokens.map((c, i) => block(c, `${k}-${i}`))}</blockquote>;
    case 'code':
      return (
        <pre key={k} className="rb-code">
          <code>{(t as Tokens.Code).text}</code>
        </pre>
      );
    case 'hr':
      return <hr key={k} />;
    case 'list': {
      const list = t as Tokens.List;
      const items = list.items.map((item, i) => <li key={i}>{item.tokens.map((c, j) => (c.type === 'text' ? <Fragment key={j}>{inline((c as Tokens.Text).tokens ?? [c], `${k}-${i}-${j}`)}</Fragment> : block(c, `${k}-${i}-${j}`)))}</li>);
      return list.ordered ? (
        <ol key={k} start={typeof list.start === 'number' ? list.start : undefined}>
          {items}
        </ol>
      ) : (
        <ul key={k}>{items}</ul>
      );
    }
    case 'table': {
      const table = t as Tokens.Table;
      return (
        <table key={k} className="rb-table">
          <thead>
            <tr>
              {table.header.map((cell, i) => (
                <th key={i}>{inline(cell.tokens, `${k}h${i}`)}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {table.rows.map((row, r) => (
              <tr key={r}>
                {row.map((cell, i) => (
                  <td key={i}>{inline(cell.tokens, `${k}r${r}c${i}`)}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      );
    }
    case 'html':
      // Shown as text: never parsed into the page.
      return (
        <pre key={k} className="rb-code rb-html">
          {(t as Tokens.HTML).text}
        </pre>
      );
    case 'space':
      return null;
    case 'text':
      return <p key={k}>{inline((t as Tokens.Text).tokens ?? [t], k)}</p>;
    default:
      return <p key={k}>{t.raw}</p>;
  }
}

/** `title`: a level-1 heading with this text is the page's own title, already shown: not repeated. */
export function Markdown({ text, title, loadImage }: { text: string; title?: string; loadImage?: ImageLoader }) {
  const tokens = new Lexer({ gfm: true }).lex(text).filter((t) => !(t.type === 'heading' && (t as Tokens.Heading).depth === 1 && (t as Tokens.Heading).text === title));
  return (
    <ImageLoaderContext.Provider value={loadImage}>
      <div className="rb-prose">{tokens.map((t, i) => block(t, String(i)))}</div>
    </ImageLoaderContext.Provider>
  );
}

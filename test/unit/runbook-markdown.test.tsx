// Runbook prose is drawn as React elements from marked's tokens: raw HTML in a runbook shows as
// text and never becomes markup; only http(s) and mailto links are links; images are not fetched.
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { Markdown } from '../../renderer/views/runbooks/Markdown';

const html = (text: string, title?: string) => renderToStaticMarkup(createElement(Markdown, { text, title }));

describe('runbook markdown rendering', () => {
  it('renders headings, tables, lists, emphasis and code', () => {
    const out = html('# Title\n\n## Step one\n\nSome **bold** and `code`.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n- x\n- y\n', 'Title');
    expect(out).not.toContain('<h2>Title</h2>');
    expect(out).toContain('<h3>Step one</h3>');
    expect(out).toContain('<strong>bold</strong>');
    expect(out).toContain('<code>code</code>');
    expect(out).toMatch(/<table class="rb-table"><thead><tr><th>a<\/th><th>b<\/th><\/tr><\/thead><tbody><tr><td>1<\/td><td>2<\/td><\/tr><\/tbody><\/table>/);
    expect(out).toContain('<ul><li>x</li><li>y</li></ul>');
  });

  it('raw HTML blocks and inline HTML stay text', () => {
    const out = html('<script>alert(1)</script>\n\nhi <img src=x onerror="alert(2)"> there\n');
    expect(out).not.toMatch(/<script|<img/);
    expect(out).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(out).toContain('&lt;img src=x onerror=&quot;alert(2)&quot;&gt;');
  });

  it('links: http(s) open in a new tab without opener; javascript: and local paths are not links; images are not fetched', () => {
    const out = html('[ok](https://example.com) [bad](javascript:alert(1)) [local](./other.md) ![diagram](./d.png)');
    expect(out).toContain('<a href="https://example.com" target="_blank" rel="noopener noreferrer">ok</a>');
    expect(out).not.toMatch(/href="(?!https:)/);
    expect(out).not.toMatch(/<img/);
    expect(out).toContain('[image: diagram]');
  });
});

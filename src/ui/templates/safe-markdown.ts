/**
 * A tiny markdown subset for model answers: fenced code, inline code, bold, italic, headings,
 * lists, links (http/https/mailto only) and paragraphs. Everything is HTML-escaped FIRST, the
 * subset is then turned into tags, and DOMPurify has the last word — so untrusted text
 * (`<script>`, `<img onerror>`, `javascript:` links, `${}`) always shows inertly.
 */
import DOMPurify from 'dompurify';
import { unsafeHTML } from 'lit/directives/unsafe-html.js';
import type { TemplateResult } from 'lit';
import { html } from 'lit';

const ALLOWED_TAGS = ['p', 'br', 'strong', 'em', 'code', 'pre', 'ul', 'ol', 'li', 'a', 'h3', 'h4', 'h5', 'blockquote'];

/** What every link in model text carries: it opens a new tab and learns nothing about this one. */
export const LINK_REL = 'noopener noreferrer nofollow';

// DOMPurify drops `target` (and with it our `rel`) even when allowed, so links would open in the
// studio's own tab and navigate away from the app. The hook sets both on every surviving link, after
// sanitising, so nothing a model writes can navigate this tab.
DOMPurify.addHook('afterSanitizeAttributes', (node) => {
  if (node.tagName !== 'A') return;
  node.setAttribute('target', '_blank');
  node.setAttribute('rel', LINK_REL);
});

export function escapeHtml(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

function inline(escaped: string): string {
  // Protect inline code spans from the other rules (private-use characters mark their places).
  const codes: string[] = [];
  let s = escaped.replace(/`([^`\n]+)`/g, (_m, c: string) => {
    codes.push(c);
    return `\uE000${codes.length - 1}\uE001`;
  });
  s = s.replace(/\*\*([^*\n]+)\*\*/g, '<strong>$1</strong>');
  s = s.replace(/(^|[^*\w])\*([^*\n]+)\*(?!\w)/g, '$1<em>$2</em>');
  s = s.replace(/(^|[^_\w])_([^_\n]+)_(?!\w)/g, '$1<em>$2</em>');
  s = s.replace(/\[([^\]\n]+)\]\(([^)\s]+)\)/g, (m, text: string, url: string) => {
    // The url is already escaped; only plain web and mail links become anchors.
    if (!/^(https?:\/\/|mailto:)/i.test(url)) return m;
    return `<a href="${url}">${text}</a>`;
  });
  return s.replace(/\uE000(\d+)\uE001/g, (_m, i: string) => `<code>${codes[Number(i)] ?? ''}</code>`);
}

/** Markdown subset → sanitized HTML string. */
export function renderMarkdown(text: string): string {
  const lines = escapeHtml(text.replace(/\r\n?/g, '\n').replace(/[\uE000\uE001]/g, '')).split('\n');
  const out: string[] = [];
  let para: string[] = [];
  let list: { tag: 'ul' | 'ol'; items: string[] } | null = null;
  const flushPara = () => {
    if (para.length) out.push(`<p>${para.map(inline).join('<br>')}</p>`);
    para = [];
  };
  const flushList = () => {
    if (list) out.push(`<${list.tag}>${list.items.map((i) => `<li>${inline(i)}</li>`).join('')}</${list.tag}>`);
    list = null;
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const fence = /^\s*```/.exec(line);
    if (fence) {
      flushPara();
      flushList();
      const code: string[] = [];
      i++;
      while (i < lines.length && !/^\s*```/.test(lines[i]!)) code.push(lines[i++]!);
      out.push(`<pre><code>${code.join('\n')}</code></pre>`);
      continue;
    }
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    const bullet = /^\s*[-*+]\s+(.*)$/.exec(line);
    const numbered = /^\s*\d+[.)]\s+(.*)$/.exec(line);
    const quote = /^&gt;\s?(.*)$/.exec(line);
    if (heading) {
      flushPara();
      flushList();
      const level = Math.min(5, heading[1]!.length + 2);
      out.push(`<h${level}>${inline(heading[2]!)}</h${level}>`);
    } else if (bullet || numbered) {
      flushPara();
      const tag = bullet ? 'ul' : 'ol';
      if (list && list.tag !== tag) flushList();
      list ??= { tag, items: [] };
      list.items.push((bullet ?? numbered)![1]!);
    } else if (quote) {
      flushPara();
      flushList();
      out.push(`<blockquote>${inline(quote[1]!)}</blockquote>`);
    } else if (!line.trim()) {
      flushPara();
      flushList();
    } else {
      flushList();
      para.push(line);
    }
  }
  flushPara();
  flushList();
  return DOMPurify.sanitize(out.join(''), {
    ALLOWED_TAGS,
    ALLOWED_ATTR: ['href'],
    ALLOWED_URI_REGEXP: /^(?:https?:|mailto:)/i,
  });
}

/** Lit template for an untrusted answer: sanitized markdown, or plain text when `plain`. */
export function safeMarkdown(text: string, plain = false): TemplateResult {
  return plain ? html`<div class="plain">${text}</div>` : html`${unsafeHTML(renderMarkdown(text))}`;
}

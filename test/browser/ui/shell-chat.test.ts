import { afterAll, afterEach, describe, expect, inject, it } from 'vitest';
import '../../../src/ui/views/drpo-playground-view';
import type { ChatFinishedDetail, DrpoChatPane } from '../../../src/ui/components/drpo-chat-pane';
import { mergeStream } from '../../../src/ui/components/drpo-chat-pane';
import type { DrpoPlaygroundView } from '../../../src/ui/views/drpo-playground-view';
import { AppState } from '../../../src/ui/app/app-state';
import { AppError, ErrorName } from '../../../src/core/contracts/errors';
import { FakeClient, XSS, artifact, asClient, pwned } from '../../support/shell-fakes';
import { $, $$, find, mount, settle, text, unmountAll, waitFor } from '../../support/dom';
import { validateArtifact } from '../../../src/core/formats/alignment-file';
import { inferenceExamples } from '../../../src/core/words/verdict-text';
import type { Store } from '../../../src/store/store';
import { createWorkerClient } from '../../../src/client/worker-client';

const binding = { engine: 'webllm' as const, modelId: 'Tiny-Model' };
afterEach(() => {
  unmountAll();
  delete (window as unknown as { __pwned?: number }).__pwned;
});

/** `byButton`: pressed on the focused Send button, as a keyboard user would (else the form is submitted). */
async function typeAndSend(el: HTMLElement, value: string, byButton = false): Promise<void> {
  const ta = $<HTMLTextAreaElement>(el, 'textarea');
  ta.value = value;
  ta.dispatchEvent(new Event('input'));
  await settle(el);
  if (!byButton) return $<HTMLFormElement>(el, 'form').requestSubmit();
  const send = $<HTMLButtonElement>(el, 'button[type=submit]');
  send.focus();
  send.click();
}

/** A served R1 distill: its template opens the thinking in the prompt, so its replies stream no opening tag. */
const r1 = { engine: 'openai' as const, modelId: 'DeepSeek-R1-Distill-Qwen-7B', endpointId: 'e' };

/** A pane of `r1` whose reply hangs in its thinking, shown as "Thinking…". */
async function r1Thinking(): Promise<DrpoChatPane> {
  const client = new FakeClient();
  client.hang = true;
  client.reply = 'Weighing it.\n</think>\n\nHi';
  const el = await mount<DrpoChatPane>('drpo-chat-pane', { client: asClient(client), binding: r1, standalone: true });
  await typeAndSend(el, 'hi');
  await waitFor(() => text($(el, '.assistant')) === 'Thinking…');
  return el;
}

/** Stops the reply: the stopped turn keeps none of the thinking. */
async function stopKeepsNoThought(el: DrpoChatPane): Promise<void> {
  await el.stop();
  await waitFor(() => !el.busy);
  await settle(el);
  expect($(el, '.assistant').dataset.status).toBe('stopped');
  expect(text(el)).not.toMatch(/Weighing|Thinking/);
}

/** A standalone pane streaming its answer to a first message, which goes on until it is stopped. */
async function streamingPane(): Promise<{ client: FakeClient; el: DrpoChatPane }> {
  const client = new FakeClient();
  client.hang = true;
  const el = await mount<DrpoChatPane>('drpo-chat-pane', { client: asClient(client), binding, standalone: true });
  await typeAndSend(el, 'first');
  await waitFor(() => el.busy);
  return { client, el };
}

describe('drpo-chat-pane', () => {
  it('merges deltas and cumulative stream batches alike', () => {
    expect(mergeStream('Hel', 'lo')).toBe('Hello');
    expect(mergeStream('Hel', 'Hello')).toBe('Hello');
    expect(mergeStream('', 'Hi')).toBe('Hi');
  });

  it('streams an answer rendered as markdown with the system prompt first', async () => {
    const client = new FakeClient();
    const el = await mount<DrpoChatPane>('drpo-chat-pane', {
      client: asClient(client),
      binding,
      systemPrompt: 'Be brief.',
      standalone: true,
    });
    let outcome = '';
    let detail: ChatFinishedDetail | null = null;
    el.addEventListener('chat-finished', (e) => {
      detail = (e as CustomEvent<ChatFinishedDetail>).detail;
      outcome = detail.outcome;
    });
    await typeAndSend(el, 'hi');
    await waitFor(() => outcome !== '');
    await settle(el);
    expect(outcome).toBe('done');
    // The speed comes with the binding it was measured on (its endpoint too): the app keys it by both.
    expect(detail).toEqual({ outcome: 'done', binding, tokensPerS: 12.5 });
    expect(client.calls[0]!.req.messages).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'hi' },
    ]);
    expect($(el, '.assistant strong').textContent).toBe('there');
    expect(text(el)).toContain('12.5 tokens/s');
    // A screen reader hears that the answer can be read.
    expect(text($(el, '[aria-live=polite]'))).toBe('Answer ready.');
  });

  it('Enter that ends an IME composition does not send; a plain Enter does', async () => {
    const client = new FakeClient();
    const el = await mount<DrpoChatPane>('drpo-chat-pane', { client: asClient(client), binding, standalone: true });
    const ta = $<HTMLTextAreaElement>(el, 'textarea');
    ta.value = 'こんにちは';
    ta.dispatchEvent(new Event('input'));
    await settle(el);
    const enter = (init: KeyboardEventInit) =>
      ta.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', cancelable: true, ...init }));
    enter({ isComposing: true });
    enter({ keyCode: 229 });
    await settle(el);
    expect(client.calls).toHaveLength(0);
    enter({});
    await waitFor(() => client.calls.length === 1);
  });

  it('leaves a question whose answer failed out of the history it sends next', async () => {
    const client = new FakeClient();
    const el = await mount<DrpoChatPane>('drpo-chat-pane', { client: asClient(client), binding, systemPrompt: 'S.' });
    expect(await el.send('first')).toBe('done');
    client.chatError = new AppError(ErrorName.NotFound, 'No such model');
    expect(await el.send('failed one')).toBe('error');
    client.chatError = null;
    expect(await el.send('third')).toBe('done');
    const sent = client.calls[2]!.req.messages.map((m) => [m.role, m.content]);
    // Alternating turns, the failed question not among them.
    expect(sent.slice(1).map(([role]) => role)).toEqual(['user', 'assistant', 'user']);
    expect(sent.map(([, c]) => c)).not.toContain('failed one');
    expect(sent.at(-1)).toEqual(['user', 'third']);
  });

  it('says an empty or a cut-off answer as such, not as ready; the empty one is not sent as history', async () => {
    const client = new FakeClient();
    client.reply = ' \n';
    const el = await mount<DrpoChatPane>('drpo-chat-pane', { client: asClient(client), binding, label: 'B' });
    expect(await el.send('first')).toBe('done');
    await settle(el);
    expect(text($(el, '.assistant'))).toMatch(/^The model returned an empty answer\./);
    expect(text($(el, '[data-said]'))).toBe('B: empty answer.');
    client.reply = 'The first part of a long answer';
    client.finishReason = 'length';
    expect(await el.send('second')).toBe('done');
    await settle(el);
    expect(text($$(el, '.assistant .note')[1]!)).toMatch(/^cut off at the token limit/);
    expect(text($(el, '[data-said]'))).toBe('B: answer ready, cut off at the token limit.');
    expect(client.calls[1]!.req.messages).toEqual([{ role: 'user', content: 'second' }]);
    // Nothing but the limit: the answer never began (a reasoning model thinking it away), not "empty".
    client.reply = '';
    expect(await el.send('third')).toBe('done');
    await settle(el);
    expect(text($$(el, '.assistant')[2]!)).toMatch(/^The token limit was reached before any answer/);
    expect(text($(el, '[data-said]'))).toBe('B: empty answer, cut off at the token limit.');
  });

  it('another prompt, examples or model starts a new conversation; equal ones handed over anew do not', async () => {
    const client = new FakeClient();
    const el = await mount<DrpoChatPane>('drpo-chat-pane', {
      client: asClient(client),
      binding,
      systemPrompt: 'Old.',
      icl: [],
    });
    expect(await el.send('hi')).toBe('done');
    // A parent re-rendering with equal (new) objects keeps the conversation.
    el.icl = [];
    el.binding = { ...binding };
    await settle(el);
    expect(await el.send('again')).toBe('done');
    expect(client.calls[1]!.req.messages.filter((m) => m.role === 'user')).toHaveLength(2);
    el.systemPrompt = 'New.';
    await settle(el);
    expect($$(el, '.user')).toHaveLength(0);
    expect(await el.send('fresh')).toBe('done');
    expect(client.calls[2]!.req.messages).toEqual([
      { role: 'system', content: 'New.' },
      { role: 'user', content: 'fresh' },
    ]);
  });

  it('puts the examples closest to each message in the system prompt, following a new example set', async () => {
    const client = new FakeClient();
    const el = await mount<DrpoChatPane>('drpo-chat-pane', {
      client: asClient(client),
      binding,
      systemPrompt: 'Be brief.',
      icl: [
        { query: 'how do volcanoes erupt', answer: 'Magma pressure.' },
        { query: 'best pasta sauce recipe', answer: 'Tomato and basil.' },
      ],
      iclK: 1,
    });
    const system = (i: number): string => client.calls[i]!.req.messages[0]!.content as string;
    expect(await el.send('why do volcanoes erupt')).toBe('done');
    expect(system(0)).toContain('Be brief.');
    expect(system(0)).toContain('Magma pressure.');
    expect(system(0)).not.toContain('Tomato and basil.');
    expect(await el.send('a pasta sauce for tonight')).toBe('done');
    expect(system(1)).toContain('Tomato and basil.');
    expect(system(1)).not.toContain('Magma pressure.');
    el.icl = [{ query: 'pasta shapes explained', answer: 'Penne holds sauce.' }];
    el.clear();
    expect(await el.send('a pasta sauce for tonight')).toBe('done');
    expect(system(2)).toContain('Penne holds sauce.');
    expect(system(2)).not.toContain('Tomato and basil.');
  });

  it('keeps hostile answers inert', async () => {
    const client = new FakeClient();
    client.reply = XSS;
    const el = await mount<DrpoChatPane>('drpo-chat-pane', { client: asClient(client), binding, standalone: true });
    expect(await el.send('<b>hi</b>')).toBe('done');
    await settle(el);
    await new Promise((r) => setTimeout(r, 50));
    expect(pwned()).toBe(false);
    expect($$(el, '.assistant script, .assistant img, .assistant svg, .assistant a').length).toBe(0);
    expect($(el, '.user').textContent).toBe('<b>hi</b>');
    expect(text($(el, '.assistant'))).toContain('<script>');
  });

  it('Stop cancels the job and keeps the partial answer', async () => {
    const client = new FakeClient();
    client.hang = true;
    client.reply = 'A long answer that never ends';
    const el = await mount<DrpoChatPane>('drpo-chat-pane', { client: asClient(client), binding, standalone: true });
    await typeAndSend(el, 'go', true);
    await waitFor(() => el.busy);
    await settle(el);
    // Send and Stop swap under the keyboard: focus moves with them, then back to the message box.
    const stop = $<HTMLButtonElement>(el, 'button[data-stop]');
    expect(el.shadowRoot!.activeElement).toBe(stop);
    stop.click();
    await waitFor(() => !el.busy);
    await settle(el);
    expect(el.shadowRoot!.activeElement).toBe($(el, 'textarea'));
    expect(text($(el, '[aria-live=polite]'))).toBe('Answer stopped.');
    expect(client.cancelled).toEqual(['job-1']);
    expect($(el, '.assistant').dataset.status).toBe('stopped');
    expect(text(el)).toContain('A long answer');
  });

  it('a pane that leaves the page mid-answer (another view opened) stops its answer as Stop does', async () => {
    const { client, el } = await streamingPane();
    // Only moved in the page (out and straight back in): it keeps answering.
    document.body.append(el);
    await settle(el);
    expect([el.busy, client.cancelled]).toEqual([true, []]);
    el.remove();
    await waitFor(() => !el.busy);
    expect(client.cancelled).toEqual(['job-1']);
  });

  it('Enter while an answer streams keeps the message and says to wait or press Stop', async () => {
    const { client, el } = await streamingPane();
    await typeAndSend(el, 'second');
    await settle(el);
    expect(text($(el, '[data-hint]'))).toBe('An answer is still coming: wait for it or press Stop.');
    expect($<HTMLTextAreaElement>(el, 'textarea').value).toBe('second');
    expect(client.calls).toHaveLength(1);
    await el.stop();
    await waitFor(() => !el.busy);
    await settle(el);
    expect(text($(el, '[data-hint]'))).toBe('');
  });

  it("shows a reasoning model's thinking as Thinking…, and a stop while it thinks keeps no half thought", async () => {
    const client = new FakeClient();
    client.hang = true;
    client.reply = '<think>The user wants a greeting; keep it short.</think>Hello!';
    const el = await mount<DrpoChatPane>('drpo-chat-pane', { client: asClient(client), binding, standalone: true });
    await typeAndSend(el, 'hi');
    await waitFor(() => el.busy);
    await waitFor(() => text($(el, '.assistant')).includes('Thinking…'));
    expect(text(el)).not.toContain('The user wants');
    // A screen reader hears it too, not "Answering…".
    expect(text($(el, '[data-said]'))).toBe('Thinking…');
    $<HTMLButtonElement>(el, 'button[data-stop]').click();
    await waitFor(() => !el.busy);
    await settle(el);
    expect($(el, '.assistant').dataset.status).toBe('stopped');
    expect(text(el)).not.toMatch(/The user wants|Thinking/);
    // The stopped turn holds no answer, so the next question goes without it.
    client.hang = false;
    client.reply = 'Fine.';
    await typeAndSend(el, 'again');
    await waitFor(() => client.calls.length === 2 && !el.busy);
    expect(client.calls[1]!.req.messages).toEqual([{ role: 'user', content: 'again' }]);
  });

  it('says Thinking… while the server streams the thinking beside the text, then shows the answer', async () => {
    const client = new FakeClient();
    client.thinkBeside = true;
    client.hang = true;
    client.reply = 'Hello there!';
    const el = await mount<DrpoChatPane>('drpo-chat-pane', { client: asClient(client), binding, standalone: true });
    await typeAndSend(el, 'hi');
    await waitFor(() => text($(el, '.assistant')) === 'Thinking…');
    expect(text($(el, '[data-said]'))).toBe('Thinking…');
    client.thought();
    await waitFor(() => text($(el, '.assistant')).includes('Hello'));
    expect(text(el)).not.toContain('Thinking');
    expect(text($(el, '[data-said]'))).toBe('Answering…');
    await el.stop();
    await waitFor(() => !el.busy);
  });

  it('a served R1 distill, whose template opens the thinking, shows Thinking… until </think>; a stop keeps none of it', async () => {
    const el = await r1Thinking();
    expect(text(el)).not.toContain('Weighing');
    expect(text($(el, '[data-said]'))).toBe('Thinking…');
    await stopKeepsNoThought(el);
  });

  it('a reply is split by the model that wrote it, not the one bound now: shown and stopped alike', async () => {
    const el = await r1Thinking();
    // The page never does this mid-reply (its panes go with their model, and another model starts a new
    // conversation), but a parent may hand over any binding at any time: no model keeps the conversation.
    el.binding = null;
    await settle(el);
    expect(text($(el, '.assistant'))).toBe('Thinking…');
    await stopKeepsNoThought(el);
  });

  it('a served R1 distill that answered once without thinking (thinking off) streams its next answers as text', async () => {
    const client = new FakeClient();
    client.reply = 'Hello, no thinking here.';
    const el = await mount<DrpoChatPane>('drpo-chat-pane', { client: asClient(client), binding: r1, standalone: true });
    await typeAndSend(el, 'hi');
    await waitFor(() => client.calls.length === 1 && !el.busy);
    client.hang = true;
    client.reply = 'Second answer, streaming.';
    await typeAndSend(el, 'again');
    await waitFor(() => text($(el, '.assistant:last-of-type')).includes('Second answer'));
    expect(text($(el, '[data-said]'))).toBe('Answering…');
    await el.stop();
    await waitFor(() => !el.busy);
    // Thinking turned on again (a reply with the closing tag): its next replies are thinking until the tag.
    client.hang = false;
    client.reply = 'Weighing it.\n</think>\n\nHi';
    await typeAndSend(el, 'third');
    await waitFor(() => client.calls.length === 3 && !el.busy);
    client.hang = true;
    client.reply = 'Pondering the fourth.';
    await typeAndSend(el, 'fourth');
    await waitFor(() => text($(el, '[data-said]')) === 'Thinking…');
    expect(text(el)).not.toContain('Pondering');
    await el.stop();
    await waitFor(() => !el.busy);
  });

  it('a finished answer is shown as the adapter gave it, not split again (its thinking is already gone)', async () => {
    const client = new FakeClient();
    // What an adapter returns after taking off the thinking: an answer that itself shows a closing tag.
    client.reply = 'To end a block, write\n</think>\nat the end of a line.';
    const el = await mount<DrpoChatPane>('drpo-chat-pane', { client: asClient(client), binding, standalone: true });
    let done = false;
    el.addEventListener('chat-finished', () => (done = true));
    await typeAndSend(el, 'How do I end a thinking block?');
    await waitFor(() => done);
    await settle(el);
    expect(text($(el, '.assistant'))).toMatch(/To end a block, write/);
  });

  it('a conversation grown past the context window says so, with Clear to go on, and offers no Ask again', async () => {
    const client = new FakeClient();
    const el = await mount<DrpoChatPane>('drpo-chat-pane', { client: asClient(client), binding, askAgain: true });
    expect(await el.send('first')).toBe('done');
    client.chatError = new AppError(ErrorName.ContextWindowExceeded, 'Prompt has 5000 tokens; the window is 4096.');
    expect(await el.send('second')).toBe('error');
    await settle(el);
    const error = text($(el, '[data-error]'));
    expect(error).toContain('The conversation is too long for the model');
    expect(error).toContain('press Clear to start a new conversation');
    // The server's own words stay below the advice.
    expect(error).toContain('the window is 4096');
    // Asked again, it would fail the same way.
    expect(el.failedQuestion).toBeNull();
    // Without a conversation before it, the message itself is too long: the general advice.
    el.clear();
    expect(await el.send('third')).toBe('error');
    await settle(el);
    expect(text($(el, '[data-error]'))).toContain('Shorten the prompt or query');
    expect(el.failedQuestion).toBe('third');
  });

  it('a user scrolled up to an earlier answer stays there while the log changes; a message sent goes to the end', async () => {
    const client = new FakeClient();
    client.reply = Array.from({ length: 30 }, (_, i) => `Line ${i} of a long answer.`).join('\n\n');
    const el = await mount<DrpoChatPane>('drpo-chat-pane', { client: asClient(client), binding, standalone: true });
    for (const q of ['one', 'two', 'three']) expect(await el.send(q)).toBe('done');
    await settle(el);
    const log = $<HTMLElement>(el, '.log');
    const atEnd = () => log.scrollHeight - log.scrollTop - log.clientHeight <= 2;
    expect(log.scrollHeight).toBeGreaterThan(log.clientHeight * 2);
    expect(atEnd()).toBe(true);
    // Scrolled up to read, then the log changes (an answer streams and ends): the reader is not pulled down.
    client.hang = true;
    const streaming = el.send('four');
    await waitFor(() => el.busy);
    await settle(el);
    expect(atEnd()).toBe(true);
    log.scrollTop = 0;
    await el.stop();
    await streaming;
    await settle(el);
    expect(log.scrollTop).toBe(0);
    // A new message shows with its answer, wherever the log was.
    client.hang = false;
    expect(await el.send('five')).toBe('done');
    await settle(el);
    expect(atEnd()).toBe(true);
  });

  it('shows errors in words and without a model explains what to do', async () => {
    const client = new FakeClient();
    client.chatError = new AppError(ErrorName.ContextWindowExceeded, 'Prompt has 5000 tokens; the window is 4096.');
    const el = await mount<DrpoChatPane>('drpo-chat-pane', { client: asClient(client), binding });
    expect(await el.send('x')).toBe('error');
    await settle(el);
    expect(text(el)).toContain('too long for the model');
    el.binding = null;
    expect(await el.send('y')).toBe('error');
    await settle(el);
    expect(text(el)).toContain('Setup');
  });
});

describe('drpo-playground-view', () => {
  it('another baseline for A starts both panes over, so a fresh chat is never compared with a long one', async () => {
    const client = new FakeClient();
    const appState = new AppState({ roles: { policy: binding }, playgroundAlignment: artifact() });
    const el = await mount<DrpoPlaygroundView>('drpo-playground-view', { client: asClient(client), appState });
    await typeAndSend(el, 'Is the moon made of cheese?');
    await waitFor(() => client.calls.length === 2);
    await settle(el, 5);
    const turns = (id: string) => $$(el.shadowRoot!.querySelector(`#${id}`) as HTMLElement, '.user').length;
    expect([turns('pane-a'), turns('pane-b')]).toEqual([1, 1]);
    const select = $<HTMLSelectElement>(el, '#baseline');
    select.value = 'none';
    select.dispatchEvent(new Event('change'));
    await settle(el, 5);
    expect([turns('pane-a'), turns('pane-b')]).toEqual([0, 0]);
  });

  it('says so when A and B are the same prompt (a no-improvement result against its own start)', async () => {
    const start = 'You answer briefly.';
    const same = artifact({ systemPrompt: start, initialPrompt: start, outcome: 'no-improvement', icl: [] });
    const appState = new AppState({ roles: { policy: binding }, playgroundAlignment: same });
    const el = await mount<DrpoPlaygroundView>('drpo-playground-view', {
      client: asClient(new FakeClient()),
      appState,
    });
    expect(text($(el, '[data-same]'))).toMatch(/A and B use the same prompt/);
    // True at any temperature (at 0 they answer alike): not "differ only by chance".
    expect(text($(el, '[data-same]'))).toMatch(
      /any difference between their answers comes from sampling, not from the prompt\.$/,
    );
    appState.update({ playgroundAlignment: artifact() });
    await settle(el);
    expect(el.shadowRoot!.querySelector('[data-same]')).toBeNull();
  });

  it('B says how many worked examples it adds per question (an examples-only result looks like A otherwise)', async () => {
    const start = 'You answer briefly.';
    const icl = [
      { query: 'Why is the sky blue?', answer: 'Air scatters blue light most.' },
      { query: 'How tall is Mount Everest?', answer: 'About 8,849 m.' },
    ];
    const examplesOnly = artifact({ systemPrompt: start, initialPrompt: start, icl, examplesPerQuery: 2 });
    const appState = new AppState({ roles: { policy: binding }, playgroundAlignment: examplesOnly });
    const el = await mount<DrpoPlaygroundView>('drpo-playground-view', {
      client: asClient(new FakeClient()),
      appState,
    });
    const [a, b] = $$<DrpoChatPane>(el, 'drpo-chat-pane');
    await settle(b!);
    expect(text($(b!, '[data-examples]'))).toBe('+ 2 worked examples per question');
    expect(find(a!, '[data-examples]')).toBeNull();
    // An alignment that ships 0 per question adds none, so says none.
    appState.update({ playgroundAlignment: artifact({ examplesPerQuery: 0 }) });
    await settle(el);
    await settle(b!);
    expect(find(b!, '[data-examples]')).toBeNull();
  });

  it('asks A (baseline) then B (aligned) one after the other', async () => {
    const client = new FakeClient();
    client.reply = (req) =>
      `answer to ${req.messages[0]?.role === 'system' ? req.messages[0].content.slice(0, 12) : 'none'}`;
    const appState = new AppState({ roles: { policy: binding }, playgroundAlignment: artifact() });
    const el = await mount<DrpoPlaygroundView>('drpo-playground-view', { client: asClient(client), appState });
    await typeAndSend(el, 'Is the moon made of cheese?');
    await waitFor(() => client.calls.length === 2);
    await settle(el, 5);
    const [a, b] = client.calls;
    expect(a!.req.messages[0]).toEqual({ role: 'system', content: 'You are a helpful assistant.' });
    expect(b!.req.messages[0]!.content).toContain('careful assistant');
    // The retrieved ICL example travels in the system message, as in the search; then the question.
    expect(b!.req.messages.map((m) => m.role)).toEqual(['system', 'user']);
    expect(b!.req.messages[0]!.content).toContain('# Query:');
    const panes = $$<DrpoChatPane>(el, 'drpo-chat-pane');
    expect(text(panes[0]!)).toContain('answer to You are a he');
    expect(text(panes[1]!)).toContain('answer to You are a ca');
  });

  it('B retrieves no examples when the alignment ships 0 per question, though it carries some (issue 9)', async () => {
    const client = new FakeClient();
    // A file that says 0 examples per question wins over its settings' 1 and over its non-empty icl.
    const checked = validateArtifact(artifact({ examplesPerQuery: 0 }));
    if (!checked.ok) throw new Error(checked.errors.join('; '));
    const zero = checked.artifact;
    expect(zero.icl.length).toBeGreaterThan(0);
    expect(inferenceExamples(zero)).toBe(0);
    const appState = new AppState({ roles: { policy: binding }, playgroundAlignment: zero });
    const el = await mount<DrpoPlaygroundView>('drpo-playground-view', { client: asClient(client), appState });
    await typeAndSend(el, 'How tall is Mount Everest?');
    await waitFor(() => client.calls.length === 2);
    const b = client.calls[1]!.req.messages;
    expect(b.map((m) => m.role)).toEqual(['system', 'user']);
    // The system message is the prompt alone: no retrieved example, even for the example's own question.
    expect(b[0]).toEqual({ role: 'system', content: zero.systemPrompt });
    expect(b[0]!.content).not.toContain('# Query:');
    expect(b[0]!.content).not.toContain(zero.icl[0]!.answer);
  });

  it('a closest candidate that is the stored result with examples added is B itself, not the stored result', async () => {
    const client = new FakeClient();
    const stored = artifact({ examplesPerQuery: 0 });
    const candidate = { ...stored, examplesPerQuery: 1, name: 'Closest candidate' };
    const rec = { id: 'al-1', name: 'The run’s result', artifact: stored, source: 'run', savedAt: 1 };
    const store = { listAlignments: async () => [rec] } as unknown as Store;
    const appState = new AppState({ roles: { policy: binding }, playgroundAlignment: candidate });
    const el = await mount<DrpoPlaygroundView>('drpo-playground-view', { client: asClient(client), appState, store });
    await waitFor(() => $$<HTMLOptionElement>(el, '#align option').length === 2);
    expect($<HTMLSelectElement>(el, '#align').selectedOptions[0]!.textContent).toBe('Closest candidate');
    await typeAndSend(el, 'How tall is Mount Everest?');
    await waitFor(() => client.calls.length === 2);
    expect(client.calls[1]!.req.messages[0]!.content).toContain('# Query:');
  });

  it('Stop cancels the running pane and skips the other', async () => {
    const client = new FakeClient();
    client.hang = true;
    const appState = new AppState({ roles: { policy: binding }, playgroundAlignment: artifact() });
    const el = await mount<DrpoPlaygroundView>('drpo-playground-view', { client: asClient(client), appState });
    await typeAndSend(el, 'hello', true);
    await waitFor(() => client.calls.length === 1);
    await settle(el);
    // Send to both became Stop under the keyboard: focus moved with it.
    expect(el.shadowRoot!.activeElement).toBe($(el, 'button[data-stop]'));
    // One local model: both panes show the message, B waits for A.
    const paneB = $$<DrpoChatPane>(el, 'drpo-chat-pane')[1]!;
    await settle(paneB);
    expect(text(paneB)).toContain('hello');
    expect(text(paneB)).toMatch(/waiting for the other pane/);
    $$<HTMLButtonElement>(el, 'button')
      .find((b) => b.textContent?.includes('Stop'))!
      .click();
    await waitFor(() => client.cancelled.length === 1);
    await new Promise((r) => setTimeout(r, 50));
    expect(client.calls.length).toBe(1);
    // And back to the message box once both panes stopped (Send to both is disabled while it is empty).
    await settle(el);
    expect(el.shadowRoot!.activeElement).toBe($(el, '#msg'));
  });

  it('leaving the Playground mid-answer stops both answers (an endpoint streams them together)', async () => {
    const client = new FakeClient();
    client.hang = true;
    const endpoint = { engine: 'openai' as const, modelId: 'llama3.2:1b', endpointId: 'e' };
    const appState = new AppState({ roles: { policy: endpoint }, playgroundAlignment: artifact() });
    const el = await mount<DrpoPlaygroundView>('drpo-playground-view', { client: asClient(client), appState });
    await typeAndSend(el, 'hello');
    await waitFor(() => client.calls.length === 2);
    const panes = $$<DrpoChatPane>(el, 'drpo-chat-pane');
    el.remove();
    await waitFor(() => panes.every((p) => !p.busy));
    expect(client.cancelled.sort()).toEqual(['job-1', 'job-2']);
  });

  it('Enter while the answers stream keeps the message and says to wait or press Stop', async () => {
    const client = new FakeClient();
    client.hang = true;
    const appState = new AppState({ roles: { policy: binding }, playgroundAlignment: artifact() });
    const el = await mount<DrpoPlaygroundView>('drpo-playground-view', { client: asClient(client), appState });
    await typeAndSend(el, 'hello');
    await waitFor(() => client.calls.length === 1);
    const ta = $<HTMLTextAreaElement>(el, '#msg');
    ta.value = 'next';
    ta.dispatchEvent(new Event('input'));
    ta.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', cancelable: true }));
    await settle(el);
    expect(text($(el, '[data-hint]'))).toBe('The answers are still coming: wait for them or press Stop.');
    expect(ta.value).toBe('next');
    await Promise.all($$<DrpoChatPane>(el, 'drpo-chat-pane').map((p) => p.stop()));
  });

  it('without a model points to Setup and disables Send', async () => {
    const el = await mount<DrpoPlaygroundView>('drpo-playground-view', { appState: new AppState() });
    expect(text(el)).toContain('No model is ready');
    expect($<HTMLButtonElement>(el, 'button[type=submit]').disabled).toBe(true);
  });

  it('without an alignment B is not titled aligned, and says where one comes from', async () => {
    const appState = new AppState({ roles: { policy: binding } });
    const el = await mount<DrpoPlaygroundView>('drpo-playground-view', {
      client: asClient(new FakeClient()),
      appState,
    });
    const b = $$<DrpoChatPane>(el, 'drpo-chat-pane')[1]!;
    await settle(b);
    expect(text($(b, 'h3'))).toBe('B · no alignment yet');
    expect(text(el)).toContain('Pane B has no alignment yet: finish a run');
  });
});

/**
 * The real worker asking the scripted server, once as served whole and once as Ollama serves it with a short
 * context window: it reads at most `cutWindow` tokens of the prompt and answers without an error.
 */
describe('drpo-chat-pane on a server that cuts prompts', () => {
  const worker = createWorkerClient();
  afterAll(() => worker.dispose());
  const window = inject('cutWindow');
  // About 1,500 tokens (4 characters each): longer than the window alone, as an alignment with its examples is.
  const alignment = 'Answer as a patient, careful teacher would. '.repeat(136);
  /** A Playground pane (it offers Clear) holding the alignment, on the server at `url`. */
  async function pane(url: string): Promise<DrpoChatPane> {
    const endpointId = `cut-${url}`;
    await worker.setEndpoint({ id: endpointId, baseUrl: url, maxRetries: 0, timeoutMs: 10_000 });
    return mount<DrpoChatPane>('drpo-chat-pane', {
      client: worker,
      binding: { engine: 'openai', endpointId, modelId: 'scripted-small' },
      systemPrompt: alignment,
      askAgain: true,
    });
  }
  // Each message adds a few hundred tokens: the prompts sent differ in length, as a growing conversation's do.
  const ask = (n: number) => `Question ${n}: ${'tell me more about the topic we discussed. '.repeat(30)}`;

  it('says the server read only part of the conversation, keeps it going, and Clear starts afresh', async () => {
    const el = await pane(inject('scriptedCutUrl'));
    // The status region is there, empty, before the cut: a screen reader announces the words put into it.
    const region = $(el, '[role=status][data-cut-said]');
    expect(text(region)).toBe('');
    expect(await el.send(ask(1))).toBe('done');
    expect(await el.send(ask(2))).toBe('done');
    await settle(el);
    expect($(el, '[role=status][data-cut-said]')).toBe(region);
    const note = text($(region, '[data-cut]'));
    expect(note).toContain(`The server read only about ${window} tokens of this conversation`);
    // Pane of a system prompt without examples: what it sends may have been cut, nothing else.
    expect(note).toContain('The system prompt or the earlier turns of this conversation may have been cut.');
    expect(note).toContain('Press Clear to start a new conversation');
    expect(note).toContain('OLLAMA_CONTEXT_LENGTH=');
    // The conversation goes on: its answers stay, and another message is answered.
    expect($$(el, '.assistant')).toHaveLength(2);
    expect(await el.send(ask(3))).toBe('done');
    await settle(el);
    expect($$(el, '.assistant')).toHaveLength(3);
    expect(find(el, '[data-cut]')).not.toBeNull();
    // A new conversation has been read by no one yet.
    el.clear();
    await settle(el);
    expect(find(el, '[data-cut]')).toBeNull();
  });

  it('in Setup’s check (no system prompt) names only the earlier turns, and a new conversation', async () => {
    const endpointId = 'cut-standalone';
    await worker.setEndpoint({ id: endpointId, baseUrl: inject('scriptedCutUrl'), maxRetries: 0, timeoutMs: 10_000 });
    const el = await mount<DrpoChatPane>('drpo-chat-pane', {
      client: worker,
      binding: { engine: 'openai', endpointId, modelId: 'scripted-small' },
      standalone: true,
    });
    // Long enough alone to pass the window: no system prompt adds to them.
    const long = (n: number) => `Question ${n}: ${'tell me more about the topic we discussed. '.repeat(160)}`;
    expect(await el.send(long(1))).toBe('done');
    expect(await el.send(long(2))).toBe('done');
    await settle(el);
    const note = text($(el, '[data-cut-said] [data-cut]'));
    expect(note).toContain('The earlier turns of this conversation may have been cut.');
    expect(note).not.toMatch(/system prompt|alignment/i);
    expect(note).toContain('Start a new conversation in the Playground');
  });

  /** The Playground on the cutting server: A the alignment's short starting prompt, B the long alignment itself. */
  async function playgroundOnCut(): Promise<{ el: DrpoPlaygroundView; a: DrpoChatPane; b: DrpoChatPane }> {
    const endpointId = 'cut-playground';
    await worker.setEndpoint({ id: endpointId, baseUrl: inject('scriptedCutUrl'), maxRetries: 0, timeoutMs: 10_000 });
    const policy = { engine: 'openai' as const, endpointId, modelId: 'scripted-small' };
    const long = artifact({ systemPrompt: alignment, initialPrompt: 'You answer briefly.', examplesPerQuery: 0 });
    const appState = new AppState({ roles: { policy }, playgroundAlignment: long });
    const el = await mount<DrpoPlaygroundView>('drpo-playground-view', { client: worker, appState });
    const [a, b] = $$<DrpoChatPane>(el, 'drpo-chat-pane');
    return { el, a: a!, b: b! };
  }
  /** Asks both panes and waits for both answers. */
  async function askBoth(el: DrpoPlaygroundView, question: string): Promise<void> {
    const answered = $$(el, 'drpo-chat-pane').reduce((n, p) => n + $$(p, '.assistant').length, 0);
    await typeAndSend(el, question);
    await waitFor(
      () =>
        !find(el, 'button[data-stop]') &&
        $$<DrpoChatPane>(el, 'drpo-chat-pane').every((p) => !p.busy) &&
        $$(el, 'drpo-chat-pane').reduce((n, p) => n + $$(p, '.assistant').length, 0) === answered + 2,
      10_000,
    );
    await settle(el, 5);
  }
  const cutNote = (pane: DrpoChatPane) => find(pane, '[data-cut-said] [data-cut]');

  it('in the Playground, a question too long for the window in both panes is named at its first answer', async () => {
    const { el, a, b } = await playgroundOnCut();
    // About 1,600 tokens: A (a short prompt and it) and B (the long alignment and it) both pass the window.
    await askBoth(el, `Read this: ${'a long pasted document about the topic we will discuss. '.repeat(115)}`);
    for (const pane of [a, b]) {
      await settle(pane);
      expect(text($(pane, '[data-cut]'))).toContain(`The server read only about ${window} tokens of this conversation`);
    }
  });

  it('in the Playground, a conversation after one the server cut is named at its first cut answer', async () => {
    const { el, a, b } = await playgroundOnCut();
    await askBoth(el, ask(1));
    await settle(b);
    // One cut read: no ceiling yet (a server counting only uncached tokens reads short once too).
    expect(cutNote(b)).toBeNull();
    await askBoth(el, ask(2));
    await settle(b);
    expect(cutNote(b)).not.toBeNull();
    // A's prompts fit: nothing is said of its conversation.
    expect(cutNote(a)).toBeNull();
    // A new conversation: its first answer read to the window the server showed is named at once.
    $$<HTMLButtonElement>(el, 'button')
      .find((x) => x.textContent?.trim() === 'Clear')!
      .click();
    await settle(el, 5);
    expect(cutNote(b)).toBeNull();
    await askBoth(el, ask(3));
    await settle(b);
    expect(text($(b, '[data-cut]'))).toContain(`The server read only about ${window} tokens of this conversation`);
    expect(cutNote(a)).toBeNull();
  });

  it('says nothing of a server that reads the whole conversation', async () => {
    const el = await pane(inject('scriptedUrl'));
    for (const n of [1, 2, 3]) expect(await el.send(ask(n))).toBe('done');
    await settle(el);
    expect($$(el, '.assistant')).toHaveLength(3);
    expect(find(el, '[data-cut]')).toBeNull();
  });
});

/** What a conversation's record counts: the reads of replies that finished in it, not stopped or left behind. */
describe('drpo-chat-pane cut record', () => {
  // About 1,500 tokens: long enough to be watched, as an alignment with its examples is.
  const alignment = 'Answer as a patient, careful teacher would. '.repeat(136);
  const ask = (n: number) => `Question ${n}: ${'tell me more about the topic we discussed. '.repeat(30)}`;
  /** A Playground pane on a fake server that reads 1,200 tokens of every prompt (all longer): each read a cut. */
  async function cutPane(): Promise<{ client: FakeClient; el: DrpoChatPane }> {
    const client = new FakeClient();
    client.promptTokens = 1200;
    const el = await mount<DrpoChatPane>('drpo-chat-pane', {
      client: asClient(client),
      binding,
      systemPrompt: alignment,
      askAgain: true,
    });
    return { client, el };
  }

  it('does not count a stopped reply: its count is of what the server had read when it stopped', async () => {
    const { client, el } = await cutPane();
    client.finishReason = 'abort';
    expect(await el.send(ask(1))).toBe('stopped');
    client.finishReason = 'stop';
    expect(await el.send(ask(2))).toBe('done');
    await settle(el);
    // Two cut reads, one of them stopped: one read is no ceiling.
    expect(find(el, '[data-cut]')).toBeNull();
    // A second finished one is.
    expect(await el.send(ask(3))).toBe('done');
    await settle(el);
    expect(find(el, '[data-cut]')).not.toBeNull();
  });

  it('does not count a reply that finished after the conversation was started afresh', async () => {
    const { client, el } = await cutPane();
    expect(await el.send(ask(1))).toBe('done');
    let release!: () => void;
    client.gate = new Promise<void>((r) => (release = r));
    const late = el.send(ask(2));
    await waitFor(() => client.calls.length === 2);
    el.restart();
    release();
    expect(await late).toBe('done');
    await settle(el);
    // The old conversation's two cut reads are not this one's: nothing is said of a conversation not yet read.
    expect(find(el, '[data-cut]')).toBeNull();
    expect(text($(el, '[data-cut-said]'))).toBe('');
  });
});

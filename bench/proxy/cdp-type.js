// Types into a VS Code workbench through the Chrome DevTools protocol, as a
// user would: opens a terminal (Ctrl+Shift+`) and runs a command in it.
// Run with node --experimental-websocket (Node 20) next to a headless chromium
// started with --remote-debugging-port=9222.
const text = process.argv[2] || "ls -la /usr/bin\r";
(async () => {
  const pages = await (await fetch("http://127.0.0.1:9222/json")).json();
  const page = pages.find((p) => p.type === "page");
  const ws = new WebSocket(page.webSocketDebuggerUrl);
  await new Promise((ok, fail) => { ws.onopen = ok; ws.onerror = fail; });
  let id = 0;
  const pending = new Map();
  ws.onmessage = (m) => {
    const msg = JSON.parse(m.data);
    if (pending.has(msg.id)) { pending.get(msg.id)(msg); pending.delete(msg.id); }
  };
  const send = (method, params = {}) => new Promise((ok) => {
    pending.set(++id, ok);
    ws.send(JSON.stringify({ id, method, params }));
  });
  const key = (type) => send("Input.dispatchKeyEvent", {
    type, modifiers: 2 | 8, key: "~", code: "Backquote", windowsVirtualKeyCode: 192,
  });
  await send("Page.bringToFront");
  await key("rawKeyDown");
  await key("keyUp");
  await new Promise((r) => setTimeout(r, 4000)); // the terminal starts
  for (const ch of text) {
    await send("Input.insertText", { text: ch });
    await new Promise((r) => setTimeout(r, 100));
  }
  const r = await send("Runtime.evaluate", { expression: "document.querySelectorAll('.xterm').length" });
  console.log("terminals in the page:", r.result && r.result.result && r.result.result.value);
  ws.close();
})().catch((e) => { console.error(e); process.exit(1); });

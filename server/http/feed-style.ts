// The hosted channel gallery's stylesheet, served at /feed/_/feed.css. It lives in the code
// rather than in a file beside it, so that the server finds it wherever it runs from (from the
// sources under tsx, or bundled into dist/server.mjs by `npm start`).
/* The hosted channel gallery: plain, readable, and usable at 320 px and 200% zoom. */
export const FEED_CSS = `:root { color-scheme: light; font-family: system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; line-height: 1.5; color: #1e2b3c; background: #fff; }
body { margin: 0; }
a { color: #0b56a8; }
a:focus-visible { outline: 3px solid #0b56a8; outline-offset: 2px; }
.skip { position: absolute; left: -999px; }
.skip:focus { left: 1rem; top: 1rem; background: #fff; padding: 0.5rem; }
header, main, footer { max-width: 72rem; margin: 0 auto; padding: 1rem; }
h1 { font-size: 1.75rem; margin: 0.5rem 0; overflow-wrap: anywhere; }
ul.gallery { list-style: none; padding: 0; margin: 0; display: grid; gap: 1.5rem; grid-template-columns: repeat(auto-fill, minmax(min(100%, 18rem), 1fr)); }
figure { margin: 0; }
img { display: block; width: 100%; height: auto; background: #eef1f5; }
figcaption { margin-top: 0.5rem; overflow-wrap: anywhere; }
.date { color: #4a5566; font-size: 0.875rem; }
footer { color: #4a5566; font-size: 0.875rem; border-top: 1px solid #d5dbe3; }
`;

// `npm start`: serves the built dist/ with vite preview and prints the URL.
import { preview } from 'vite';

const server = await preview({ preview: { host: '127.0.0.1', port: 4173, strictPort: false } });
const url = server.resolvedUrls?.local[0] ?? 'http://127.0.0.1:4173/';
console.log(`\nDRPO Studio is running at ${url}\nOpen it in Chrome or Edge 113+ (WebGPU). Press Ctrl+C to stop.\n`);

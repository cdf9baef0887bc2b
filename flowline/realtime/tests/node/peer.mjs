// A second, independent Socket.IO peer: the npm socket.io-client.
// usage: node peer.mjs <base_url> <token> <room> <last_event_id> <expected_events>
// Prints one JSON line per received event, then exits 0; exits 1 on error or timeout.
import { io } from "socket.io-client";

const [baseUrl, token, room, lastEventId, expected] = process.argv.slice(2);
const wanted = Number(expected);
let seen = 0;
const socket = io(baseUrl, { path: "/api/socket.io", auth: { token }, transports: ["websocket"], reconnection: false });
const timer = setTimeout(() => { console.error("timeout"); process.exit(1); }, 15000);

socket.on("connect_error", (error) => { console.log(JSON.stringify({ event: "connect_error", message: error.message })); clearTimeout(timer); process.exit(0); });
socket.on("connect", async () => {
  const answer = await socket.emitWithAck("join", { room, last_event_id: Number(lastEventId) });
  console.log(JSON.stringify({ event: "joined", data: answer }));
  if (wanted === 0) { clearTimeout(timer); socket.close(); }
});
socket.onAny((event, data) => {
  console.log(JSON.stringify({ event, data }));
  seen += 1;
  if (seen >= wanted) { clearTimeout(timer); socket.close(); process.exit(0); }
});

#!/usr/bin/env python3
"""A TCP relay on 127.0.0.1 that holds every byte for half a round trip each way.

The benchmark (bench/sync_bench.cc) starts it between `attune sync` and the partner's `serve` to
measure a first sync over a long round trip (a Tor-like 400 ms) on one machine. It delays; it
does not limit bandwidth, lose or reorder anything: what a longer round trip costs a sync is its
round trips, and this shows them alone.

    delay_relay.py --to PORT --rtt-ms MS

listens on a free port of 127.0.0.1, prints "listening PORT" once it accepts, and relays every
connection to 127.0.0.1:PORT until it is ended (SIGTERM).
"""

import argparse
import asyncio
import signal
import sys

CHUNK = 256 * 1024


async def delayed_copy(reader, writer, delay):
    """Copies reader to writer, each chunk written `delay` seconds after it was read."""
    loop = asyncio.get_running_loop()
    pending = asyncio.Queue()

    async def take():
        while True:
            data = await reader.read(CHUNK)
            await pending.put((loop.time() + delay, data))
            if not data:
                return

    async def give():
        while True:
            due, data = await pending.get()
            # The delay is what this relay stands for: the bytes are in flight until then.
            wait = due - loop.time()
            if wait > 0:
                await asyncio.sleep(wait)
            if not data:
                if writer.can_write_eof():
                    writer.write_eof()
                return
            writer.write(data)
            await writer.drain()

    await asyncio.gather(take(), give())


async def relay(client_reader, client_writer, port, delay):
    try:
        server_reader, server_writer = await asyncio.open_connection("127.0.0.1", port)
    except OSError:
        client_writer.close()
        return
    try:
        await asyncio.gather(delayed_copy(client_reader, server_writer, delay),
                             delayed_copy(server_reader, client_writer, delay))
    except (ConnectionError, OSError):
        pass
    finally:
        client_writer.close()
        server_writer.close()


async def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--to", type=int, required=True, help="the port to relay to")
    parser.add_argument("--rtt-ms", type=float, required=True, help="the round trip to add")
    args = parser.parse_args()
    delay = args.rtt_ms / 2000.0

    server = await asyncio.start_server(lambda r, w: relay(r, w, args.to, delay), "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    print(f"listening {port}", flush=True)
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    async with server:
        await stop.wait()
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))

#!/usr/bin/env python3
"""Test support: an ICMP echo responder behind a TUN device, answering after a delay.

This kernel has no netem qdisc, so the lab makes latency in user space: the test routes a prefix into
the TUN device this script creates (in the network namespace it runs in), and every IPv4 echo request
that arrives is answered with an echo reply after --delay-ms milliseconds. Other packets are dropped.
With --drop-percent, that share of requests is silently dropped (loss), spread evenly (of 10 requests at
30 %, the 4th, 7th and 10th are dropped) so that a test sees the same loss every run.

Prints "ready <name>" once the device exists. Lines on standard input change the behaviour while it runs:
"delay <ms>" and "drop <percent>"; each is acknowledged with "ok <line>". Exits when its standard input
closes (the test process ended), so it never outlives the test.
"""
import argparse
import fcntl
import heapq
import os
import select
import struct
import sys
import time

TUNSETIFF = 0x400454CA
IFF_TUN = 0x0001
IFF_NO_PI = 0x1000


def checksum(data: bytes) -> int:
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def echo_reply(packet: bytes):
    """The echo reply to an IPv4 echo request, or None for any other packet."""
    if len(packet) < 28 or packet[0] >> 4 != 4 or packet[9] != 1:
        return None
    header_length = (packet[0] & 0x0F) * 4
    icmp = packet[header_length:]
    if len(icmp) < 8 or icmp[0] != 8:
        return None
    header = bytearray(packet[:header_length])
    header[8] = 64  # TTL
    header[12:16], header[16:20] = packet[16:20], packet[12:16]  # swap source and destination
    header[10:12] = b"\0\0"
    header[10:12] = struct.pack("!H", checksum(bytes(header)))
    reply = bytearray(icmp)
    reply[0] = 0  # echo reply
    reply[2:4] = b"\0\0"
    reply[2:4] = struct.pack("!H", checksum(bytes(reply)))
    return bytes(header) + bytes(reply)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--name", required=True)
    parser.add_argument("--delay-ms", type=float, default=0.0)
    parser.add_argument("--drop-percent", type=float, default=0.0)
    args = parser.parse_args()

    fd = os.open("/dev/net/tun", os.O_RDWR)
    fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH", args.name.encode(), IFF_TUN | IFF_NO_PI))
    print(f"ready {args.name}", flush=True)

    pending = []  # (due time, sequence, packet)
    sequence = 0
    delay_ms = args.delay_ms
    drop_percent = args.drop_percent
    drop_credit = 0.0
    commands = b""
    stdin = sys.stdin.fileno()
    while True:
        timeout = max(0.0, pending[0][0] - time.monotonic()) if pending else None
        readable, _, _ = select.select([fd, stdin], [], [], timeout)
        if stdin in readable:
            chunk = os.read(stdin, 4096)
            if not chunk:
                return 0
            commands += chunk
            while b"\n" in commands:
                line, commands = commands.split(b"\n", 1)
                words = line.decode().split()
                if len(words) == 2 and words[0] == "delay":
                    delay_ms = float(words[1])
                elif len(words) == 2 and words[0] == "drop":
                    drop_percent = float(words[1])
                    drop_credit = 0.0
                print(f"ok {line.decode()}", flush=True)
        if fd in readable:
            reply = echo_reply(os.read(fd, 65535))
            if reply is None:
                continue
            drop_credit += drop_percent
            if drop_credit >= 100:
                drop_credit -= 100
                continue
            sequence += 1
            heapq.heappush(pending, (time.monotonic() + delay_ms / 1000, sequence, reply))
        now = time.monotonic()
        while pending and pending[0][0] <= now:
            os.write(fd, heapq.heappop(pending)[2])


if __name__ == "__main__":
    sys.exit(main())

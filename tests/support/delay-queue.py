#!/usr/bin/env python3
"""Delays every packet of one netfilter queue by a fixed time, in order, and never drops one.

Usage (as root, in the network namespace whose packets it delays):
  iptables -I INPUT -p udp --sport PORT -j NFQUEUE --queue-num Q --queue-bypass
  python3 tests/support/delay-queue.py --queue Q --delay-ms 400
It prints "ready" once bound, then runs until SIGTERM/SIGINT, when it accepts what it still holds.

Why not `tc qdisc add … netem delay 400ms`: the kernels these tests run on have no sch_netem (nor
fq, nor clsact: "Specified qdisc kind is unknown"), and nftables has no `queue` expression there
(nft_queue missing: "No such file or directory"). The iptables NFQUEUE target and nfnetlink_queue
are present, so the delay is done here, in userspace, speaking the nfnetlink_queue protocol
(linux/netfilter/nfnetlink_queue.h) over a NETLINK_NETFILTER socket: the kernel hands over each
packet's id (the packet itself stays in the kernel: copy mode META), and the verdict NF_ACCEPT for
that id is sent DELAY ms later. The delay is constant, so verdicts leave in arrival order.

Never dropping: the queue is set fail-open (NFQA_CFG_F_FAIL_OPEN: a full queue, or a full socket
buffer, accepts the packet rather than dropping it), the rule's --queue-bypass accepts packets while
no process is bound, and on exit every held packet is accepted before the socket closes (closing
it with packets held would drop them: the kernel flushes an unbound queue with NF_DROP).
Python 3 standard library only.
"""
import argparse
import collections
import errno
import select
import signal
import socket
import struct
import sys
import time

NETLINK_NETFILTER = 12
SOL_NETLINK = 270
NETLINK_NO_ENOBUFS = 5
NLMSG_ERROR = 2
NLMSG_DONE = 3
NLM_F_REQUEST = 0x1
NLM_F_ACK = 0x4
NFNL_SUBSYS_QUEUE = 3
NFNETLINK_V0 = 0
# enum nfqnl_msg_types
NFQNL_MSG_PACKET, NFQNL_MSG_VERDICT, NFQNL_MSG_CONFIG = 0, 1, 2
# enum nfqnl_attr_type
NFQA_PACKET_HDR, NFQA_VERDICT_HDR = 1, 2
# enum nfqnl_attr_config
NFQA_CFG_CMD, NFQA_CFG_PARAMS, NFQA_CFG_QUEUE_MAXLEN, NFQA_CFG_MASK, NFQA_CFG_FLAGS = 1, 2, 3, 4, 5
NFQNL_CFG_CMD_BIND = 1
NFQNL_COPY_META = 1
NFQA_CFG_F_FAIL_OPEN = 1 << 0
NF_ACCEPT = 1
NLA_TYPE_MASK = ~(0x8000 | 0x4000) & 0xFFFF  # without NLA_F_NESTED and NLA_F_NET_BYTEORDER


def align4(n):
    return (n + 3) & ~3


def attr(kind, payload):
    """One netlink attribute (struct nlattr), padded to 4 bytes."""
    head = struct.pack('=HH', 4 + len(payload), kind)
    return (head + payload).ljust(align4(4 + len(payload)), b'\0')


class Queue:
    def __init__(self, number):
        self.number = number
        self.seq = 0
        self.early = []  # ids of packets that came while configuring
        self.sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_NETFILTER)
        self.sock.bind((0, 0))
        # Room for a burst of packet notices; past it, fail-open accepts instead of an ENOBUFS.
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 21)
        try:
            self.sock.setsockopt(SOL_NETLINK, NETLINK_NO_ENOBUFS, 1)
        except OSError:
            pass

    def send(self, msg_type, attrs, flags=NLM_F_REQUEST):
        self.seq += 1
        # struct nfgenmsg: family AF_UNSPEC, version, res_id = queue number (network order).
        body = struct.pack('!BBH', socket.AF_UNSPEC, NFNETLINK_V0, self.number) + b''.join(attrs)
        header = struct.pack('=IHHII', 16 + len(body), (NFNL_SUBSYS_QUEUE << 8) | msg_type, flags, self.seq, 0)
        self.sock.send(header + body)
        return self.seq

    def configure(self, attrs, required=True):
        """Sends a NFQNL_MSG_CONFIG with an ACK requested; returns the kernel's errno (0: done)."""
        seq = self.send(NFQNL_MSG_CONFIG, attrs, NLM_F_REQUEST | NLM_F_ACK)
        while True:
            data = self.sock.recv(65536)
            for msg_type, msg_seq, payload in messages(data):
                if msg_type == (NFNL_SUBSYS_QUEUE << 8) | NFQNL_MSG_PACKET:
                    pid = packet_id(payload)
                    if pid is not None:
                        self.early.append(pid)
                elif msg_type == NLMSG_ERROR and msg_seq == seq:
                    err = -struct.unpack_from('=i', payload)[0]
                    if err and required:
                        raise OSError(err, f'nfnetlink_queue config of queue {self.number}: {errno.errorcode.get(err, err)}')
                    return err

    def bind(self, maxlen):
        self.configure([attr(NFQA_CFG_CMD, struct.pack('!BBH', NFQNL_CFG_CMD_BIND, 0, 0))])
        # Copy mode META: only the header and metadata come up, the packet stays in the kernel.
        self.configure([attr(NFQA_CFG_PARAMS, struct.pack('!IB', 0, NFQNL_COPY_META))])
        self.configure([attr(NFQA_CFG_QUEUE_MAXLEN, struct.pack('!I', maxlen))])
        # Fail-open (since Linux 3.6); a kernel without the flag answers EOPNOTSUPP/EINVAL, and
        # then a full queue drops: say so instead of silently dropping.
        mask = struct.pack('!I', NFQA_CFG_F_FAIL_OPEN)
        err = self.configure([attr(NFQA_CFG_MASK, mask), attr(NFQA_CFG_FLAGS, mask)], required=False)
        if err:
            print(f'delay-queue: fail-open refused ({errno.errorcode.get(err, err)}); a full queue drops', file=sys.stderr)

    def accept(self, packet_id):
        self.send(NFQNL_MSG_VERDICT, [attr(NFQA_VERDICT_HDR, struct.pack('!II', NF_ACCEPT, packet_id))])


def messages(data):
    """(type, seq, payload after the nlmsghdr) of each netlink message in one datagram."""
    off = 0
    while off + 16 <= len(data):
        length, msg_type, _flags, seq, _pid = struct.unpack_from('=IHHII', data, off)
        if length < 16 or off + length > len(data):
            return
        yield msg_type, seq, data[off + 16:off + length]
        off += align4(length)


def packet_id(payload):
    """The id in NFQA_PACKET_HDR (struct nfqnl_msg_packet_hdr: __be32 packet_id first)."""
    off = 4  # struct nfgenmsg
    while off + 4 <= len(payload):
        length, kind = struct.unpack_from('=HH', payload, off)
        if length < 4:
            return None
        if kind & NLA_TYPE_MASK == NFQA_PACKET_HDR and length >= 8:
            return struct.unpack_from('!I', payload, off + 4)[0]
        off += align4(length)
    return None


def main():
    parser = argparse.ArgumentParser(description='Delays the packets of one NFQUEUE.')
    parser.add_argument('--queue', type=int, required=True, help='queue number (0..65535)')
    parser.add_argument('--delay-ms', type=float, required=True, help='delay of every packet')
    parser.add_argument('--maxlen', type=int, default=16384, help='packets the kernel may hold')
    args = parser.parse_args()
    if not 0 <= args.queue <= 65535 or args.delay_ms < 0:
        parser.error('queue 0..65535, delay >= 0')

    queue = Queue(args.queue)
    queue.bind(args.maxlen)
    delay = args.delay_ms / 1000.0
    held = collections.deque()  # (due, id), due ascending: the delay is constant
    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(1))
    signal.signal(signal.SIGINT, lambda *_: stopping.append(1))
    held.extend((time.monotonic() + delay, pid) for pid in queue.early)
    print('ready', flush=True)

    while not stopping:
        now = time.monotonic()
        while held and held[0][0] <= now:
            queue.accept(held.popleft()[1])
        timeout = max(0.0, held[0][0] - now) if held else 1.0
        try:
            readable, _, _ = select.select([queue.sock], [], [], timeout)
            if not readable:
                continue
            data = queue.sock.recv(65536)
        except InterruptedError:
            continue
        except OSError as e:
            if e.errno == errno.ENOBUFS:  # notices lost: fail-open accepted those packets
                continue
            raise
        arrived = time.monotonic()
        for msg_type, _seq, payload in messages(data):
            if msg_type == (NFNL_SUBSYS_QUEUE << 8) | NFQNL_MSG_PACKET:
                pid = packet_id(payload)
                if pid is not None:
                    held.append((arrived + delay, pid))
    # Stopping: what is held passes now rather than being dropped with the socket, and so does
    # what still comes, until 50 ms pass without a packet or 2 s in all (the window left between the
    # last read and the close is microseconds; remove the iptables rule first to close it entirely).
    while held:
        queue.accept(held.popleft()[1])
    end = time.monotonic() + 2
    while time.monotonic() < end and select.select([queue.sock], [], [], 0.05)[0]:
        try:
            data = queue.sock.recv(65536)
        except OSError:
            continue
        for msg_type, _seq, payload in messages(data):
            pid = packet_id(payload) if msg_type == (NFNL_SUBSYS_QUEUE << 8) | NFQNL_MSG_PACKET else None
            if pid is not None:
                queue.accept(pid)
    queue.sock.close()


if __name__ == '__main__':
    main()

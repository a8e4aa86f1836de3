"""A real kazoo Lock peer for Kiln's interop tests (run with /usr/bin/python3).

hold: acquire Lock(path) (blocking), print "locked", hold it until stdin closes,
      then release and exit.
try:  Lock(path).acquire(blocking=False); print "acquired" or "not-acquired";
      release if acquired and exit.
"""
import argparse
import sys

from kazoo_connect import add_connect_args, connect


def main() -> int:
    parser = argparse.ArgumentParser()
    add_connect_args(parser)
    parser.add_argument("--path", required=True)
    parser.add_argument("--mode", choices=["hold", "try"], default="hold")
    parser.add_argument("--identifier")
    args = parser.parse_args()

    client = connect(args)
    try:
        lock = client.Lock(args.path, args.identifier)
        if args.mode == "try":
            got = lock.acquire(blocking=False)
            print("acquired" if got else "not-acquired", flush=True)
            if got:
                lock.release()
            return 0
        lock.acquire()
        print("locked", lock.node, flush=True)
        sys.stdin.read()  # hold until the test closes our stdin
        lock.release()
        print("released", flush=True)
        return 0
    finally:
        client.stop()
        client.close()


if __name__ == "__main__":
    sys.exit(main())

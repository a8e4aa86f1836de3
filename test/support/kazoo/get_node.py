"""Prints the data of one znode as seen by a real kazoo client (run with /usr/bin/python3);
exit status 2 when the node does not exist."""
import argparse
import sys

from kazoo.exceptions import NoNodeError

from kazoo_connect import add_connect_args, connect


def main() -> int:
    parser = argparse.ArgumentParser()
    add_connect_args(parser)
    parser.add_argument("--path", required=True)
    args = parser.parse_args()

    client = connect(args)
    try:
        data, _stat = client.get(args.path)
        sys.stdout.write(data.decode("utf-8"))
        return 0
    except NoNodeError:
        return 2
    finally:
        client.stop()
        client.close()


if __name__ == "__main__":
    sys.exit(main())

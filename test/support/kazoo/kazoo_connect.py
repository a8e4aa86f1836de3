"""Shared by the kazoo peer scripts: a started KazooClient from command-line options.

--hosts is a kazoo connect string (host:port[,host:port]/chroot); with --certfile,
--keyfile and --ca the client connects with TLS, as Nodepool's ZooKeeperClient does.
"""
import argparse

from kazoo.client import KazooClient


def add_connect_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--hosts", required=True)
    parser.add_argument("--certfile")
    parser.add_argument("--keyfile")
    parser.add_argument("--ca")
    parser.add_argument("--timeout", type=float, default=10.0)


def connect(args: argparse.Namespace) -> KazooClient:
    kwargs = {}
    if args.certfile:
        kwargs = dict(use_ssl=True, certfile=args.certfile, keyfile=args.keyfile, ca=args.ca, verify_certs=True)
    client = KazooClient(hosts=args.hosts, timeout=args.timeout, **kwargs)
    client.start(timeout=args.timeout)
    return client

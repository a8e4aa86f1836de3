"""A Python peer for Kiln's image records, using kazoo as Nodepool does (run with /usr/bin/python3).

  check --build PATH --upload PATH   read Kiln-written znodes and check them the way
                                     nodepool/zk/zookeeper.py reads them (field names
                                     and types); exit 0 when compatible, 1 otherwise
  write --image I --provider P       write a build (uuid4 hex id) and an upload (sequence
                                     node after the upload lock dir) exactly as Nodepool's
                                     storeBuild/storeImageUpload do; prints both paths
"""
import argparse
import json
import sys
import time
import uuid

from kazoo.client import KazooClient

BUILD_STATES = {"building", "ready", "deleting", "failed"}
UPLOAD_STATES = {"uploading", "ready", "deleting", "failed"}


def fail(message):
    sys.stderr.write(message + "\n")
    return 1


def check(client, args):
    build = json.loads(client.get(args.build)[0].decode("utf8"))
    upload = json.loads(client.get(args.upload)[0].decode("utf8"))
    if not isinstance(build.get("state"), str) or build["state"] not in BUILD_STATES:
        return fail("build state: %r" % (build.get("state"),))
    if not isinstance(build.get("state_time"), float):
        return fail("build state_time is not a float: %r" % (build.get("state_time"),))
    if build.get("formats") != "qcow2,raw":
        return fail("build formats: %r" % (build.get("formats"),))
    # ImageBuild.updateFromDict: formats split on commas
    if build["formats"].split(",") != ["qcow2", "raw"]:
        return fail("formats do not split")
    if not isinstance(build.get("builder"), str) or not isinstance(build.get("builder_id"), str):
        return fail("builder/builder_id: %r" % (build,))
    for record, name in ((build, "build"), (upload, "upload")):
        for key in ("username", "python_path", "shell_type"):
            if key not in record:
                return fail("%s lacks %s" % (name, key))
    expected = ["state", "state_time", "external_id", "external_name", "format", "username", "python_path", "shell_type"]
    if list(upload.keys()) != expected:
        return fail("upload keys: %r" % (list(upload.keys()),))
    if upload["state"] not in UPLOAD_STATES or not isinstance(upload["state_time"], float):
        return fail("upload state/state_time: %r" % (upload,))
    if not isinstance(upload["external_id"], str) or upload["format"] != "qcow2":
        return fail("upload external_id/format: %r" % (upload,))
    # The upload id is the bare sequence number, parsed as Nodepool's import does.
    int(args.upload.rsplit("/", 1)[1])
    print("compatible")
    return 0


def write(client, args):
    now = time.time()
    build = {"state": "ready", "state_time": now, "builder": "py-builder", "builder_id": str(uuid.uuid4()),
             "formats": ",".join(sorted(["raw", "qcow2"])), "username": "zuul", "python_path": "auto", "shell_type": None}
    build_id = uuid.uuid4().hex
    build_path = "/nodepool/images/%s/builds/%s" % (args.image, build_id)
    client.create(build_path, json.dumps(build).encode("utf8"), makepath=True)
    uploads = "%s/providers/%s/images" % (build_path, args.provider)
    client.ensure_path(uploads + "/lock")  # the upload worker holds this lock first
    upload = {"state": "ready", "state_time": now + 1, "external_id": "ext-1", "external_name": "name-1",
              "format": "qcow2", "username": "zuul", "python_path": "auto", "shell_type": None}
    upload_path = client.create(uploads + "/", json.dumps(upload).encode("utf8"), sequence=True, makepath=True)
    print(build_path)
    print(upload_path)
    return 0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--hosts", required=True)
    sub = parser.add_subparsers(dest="command", required=True)
    c = sub.add_parser("check")
    c.add_argument("--build", required=True)
    c.add_argument("--upload", required=True)
    w = sub.add_parser("write")
    w.add_argument("--image", required=True)
    w.add_argument("--provider", required=True)
    args = parser.parse_args()
    client = KazooClient(hosts=args.hosts)
    client.start(timeout=15)
    try:
        return check(client, args) if args.command == "check" else write(client, args)
    finally:
        client.stop()
        client.close()


if __name__ == "__main__":
    sys.exit(main())

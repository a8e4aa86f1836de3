if [ -z "${DIB_INIT_SYSTEM:-}" ]; then
    if [ -d "${TMP_MOUNT_PATH:-/nonexistent}/lib/systemd/system" ] || [ -d /lib/systemd/system -a -e /tmp/in_target.d ]; then
        DIB_INIT_SYSTEM=systemd
    else
        DIB_INIT_SYSTEM=none
    fi
fi
export DIB_INIT_SYSTEM

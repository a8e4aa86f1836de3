export DISTRO_NAME=debian
export DIB_RELEASE=${DIB_RELEASE:-bookworm}
export DIB_INIT_SYSTEM=systemd
export EFI_BOOT_DIR=EFI/debian
export DIB_DEBIAN_COMPONENTS=${DIB_DEBIAN_COMPONENTS:-main}
export DIB_DEBIAN_SECURITY_SUBPATH=${DIB_DEBIAN_SECURITY_SUBPATH:--security}
if [ -z "${DIB_DEBIAN_BASE_PACKAGES:-}" ]; then
    case ${ARCH:-amd64} in
        amd64|x86_64) DIB_DEBIAN_KERNEL=linux-image-amd64 ;;
        arm64|aarch64) DIB_DEBIAN_KERNEL=linux-image-arm64 ;;
        ppc64el) DIB_DEBIAN_KERNEL=linux-image-powerpc64le ;;
        *) DIB_DEBIAN_KERNEL=linux-image-$ARCH ;;
    esac
    DIB_DEBIAN_BASE_PACKAGES="systemd-sysv $DIB_DEBIAN_KERNEL initramfs-tools zstd netbase sudo busybox ca-certificates"
fi
export DIB_DEBIAN_BASE_PACKAGES

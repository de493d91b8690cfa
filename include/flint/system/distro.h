// The external tools and paths Flint uses, overridable at build time as Ignition's internal/distro is.
#pragma once

// Each tool's default is a bare name looked up in PATH, as in Ignition. A
// distribution that keeps a tool or file elsewhere sets the meson option
// (-Ddistro_useradd=/usr/sbin/useradd, see meson_options.txt), which the
// top-level meson.build hands every translation unit as the macro
// (-DFLINT_DISTRO_USERADD="/usr/sbin/useradd"), instead of patching callers.
// The defaults below apply only to a build that does not define them.
#ifndef FLINT_DISTRO_USERADD
#define FLINT_DISTRO_USERADD "useradd"
#endif
#ifndef FLINT_DISTRO_USERMOD
#define FLINT_DISTRO_USERMOD "usermod"
#endif
#ifndef FLINT_DISTRO_USERDEL
#define FLINT_DISTRO_USERDEL "userdel"
#endif
#ifndef FLINT_DISTRO_GROUPADD
#define FLINT_DISTRO_GROUPADD "groupadd"
#endif
#ifndef FLINT_DISTRO_GROUPMOD
#define FLINT_DISTRO_GROUPMOD "groupmod"
#endif
#ifndef FLINT_DISTRO_GROUPDEL
#define FLINT_DISTRO_GROUPDEL "groupdel"
#endif
#ifndef FLINT_DISTRO_SYSTEMCTL
#define FLINT_DISTRO_SYSTEMCTL "systemctl"
#endif
#ifndef FLINT_DISTRO_SETFILES
#define FLINT_DISTRO_SETFILES "setfiles"
#endif
#ifndef FLINT_DISTRO_KARGS_HELPER
#define FLINT_DISTRO_KARGS_HELPER "ignition-kargs-helper"
#endif
#ifndef FLINT_DISTRO_IS_LIVE_IMAGE
#define FLINT_DISTRO_IS_LIVE_IMAGE "is-live-image"
#endif
#ifndef FLINT_DISTRO_RESULT_FILE
#define FLINT_DISTRO_RESULT_FILE "/etc/.ignition-result.json"
#endif
#ifndef FLINT_DISTRO_BOOT_ID_PATH
#define FLINT_DISTRO_BOOT_ID_PATH "/proc/sys/kernel/random/boot_id"
#endif
#ifndef FLINT_DISTRO_SGDISK
#define FLINT_DISTRO_SGDISK "sgdisk"
#endif
#ifndef FLINT_DISTRO_MDADM
#define FLINT_DISTRO_MDADM "mdadm"
#endif
#ifndef FLINT_DISTRO_CRYPTSETUP
#define FLINT_DISTRO_CRYPTSETUP "cryptsetup"
#endif
#ifndef FLINT_DISTRO_CLEVIS
#define FLINT_DISTRO_CLEVIS "clevis"
#endif
#ifndef FLINT_DISTRO_WIPEFS
#define FLINT_DISTRO_WIPEFS "wipefs"
#endif
#ifndef FLINT_DISTRO_UDEVADM
#define FLINT_DISTRO_UDEVADM "udevadm"
#endif
#ifndef FLINT_DISTRO_MKFS_EXT4
#define FLINT_DISTRO_MKFS_EXT4 "mkfs.ext4"
#endif
#ifndef FLINT_DISTRO_MKFS_XFS
#define FLINT_DISTRO_MKFS_XFS "mkfs.xfs"
#endif
#ifndef FLINT_DISTRO_MKFS_BTRFS
#define FLINT_DISTRO_MKFS_BTRFS "mkfs.btrfs"
#endif
#ifndef FLINT_DISTRO_MKFS_VFAT
#define FLINT_DISTRO_MKFS_VFAT "mkfs.fat"
#endif
#ifndef FLINT_DISTRO_MKSWAP
#define FLINT_DISTRO_MKSWAP "mkswap"
#endif

namespace flint::distro {

// Helper programs for users and groups (shadow-utils).
inline constexpr const char *kUseraddCmd = FLINT_DISTRO_USERADD;
inline constexpr const char *kUsermodCmd = FLINT_DISTRO_USERMOD;
inline constexpr const char *kUserdelCmd = FLINT_DISTRO_USERDEL;
inline constexpr const char *kGroupaddCmd = FLINT_DISTRO_GROUPADD;
inline constexpr const char *kGroupmodCmd = FLINT_DISTRO_GROUPMOD;
inline constexpr const char *kGroupdelCmd = FLINT_DISTRO_GROUPDEL;

// systemctl, run with --root for is-enabled and disable.
inline constexpr const char *kSystemctlCmd = FLINT_DISTRO_SYSTEMCTL;

// SELinux relabelling of what the files stage wrote (setfiles -F0 -r <root>).
inline constexpr const char *kSetfilesCmd = FLINT_DISTRO_SETFILES;

// The kargs stage's distribution helper, and the live-image probe.
inline constexpr const char *kKargsHelperCmd = FLINT_DISTRO_KARGS_HELPER;
inline constexpr const char *kIsLiveImageCmd = FLINT_DISTRO_IS_LIVE_IMAGE;

// Where the result of the run is recorded, relative to the target root.
inline constexpr const char *kResultFilePath = FLINT_DISTRO_RESULT_FILE;

// The running kernel's boot id, a host path.
inline constexpr const char *kBootIdPath = FLINT_DISTRO_BOOT_ID_PATH;

// The SELinux policy configuration, relative to the target root. Fixed by
// libselinux itself (SELINUXCONFIG), so not a build option.
inline constexpr const char *kSelinuxConfigPath = "/etc/selinux/config";

// Disks stage tools.
inline constexpr const char *kSgdiskCmd = FLINT_DISTRO_SGDISK;
inline constexpr const char *kMdadmCmd = FLINT_DISTRO_MDADM;
inline constexpr const char *kCryptsetupCmd = FLINT_DISTRO_CRYPTSETUP;
inline constexpr const char *kClevisCmd = FLINT_DISTRO_CLEVIS;
inline constexpr const char *kWipefsCmd = FLINT_DISTRO_WIPEFS;
inline constexpr const char *kUdevadmCmd = FLINT_DISTRO_UDEVADM;
inline constexpr const char *kExt4MkfsCmd = FLINT_DISTRO_MKFS_EXT4;
inline constexpr const char *kXfsMkfsCmd = FLINT_DISTRO_MKFS_XFS;
inline constexpr const char *kBtrfsMkfsCmd = FLINT_DISTRO_MKFS_BTRFS;
inline constexpr const char *kVfatMkfsCmd = FLINT_DISTRO_MKFS_VFAT;
inline constexpr const char *kSwapMkfsCmd = FLINT_DISTRO_MKSWAP;

} // namespace flint::distro

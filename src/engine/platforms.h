// The platforms Flint can fetch a provider config from (-platform) and how each one does it.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "flint/base/result.h"

namespace flint::engine {

enum class Platform { File, Metal, Qemu };

// "file", "metal", "qemu": the names -platform accepts, sorted.
const std::vector<std::string_view> &supportedPlatformNames();

std::optional<Platform> platformFromName(std::string_view name);

// The error for -platform: Ignition's "<x> is not a valid platform", or, for
// a platform Ignition 2.14 knows but Flint does not implement yet, a message
// saying so; both list the supported names.
[[nodiscard]] Result<void> checkPlatformName(std::string_view name);

// What the engine read from the environment for the providers.
// Where the stages' fetches may be pointed and shown.
struct FetchEnvironment {
	std::string s3Endpoint;  // FLINT_S3_ENDPOINT (tests)
	std::string gcsEndpoint; // FLINT_GCS_ENDPOINT (tests)
	// Where retry notices for a person watching the boot go: FLINT_CONSOLE,
	// else /dev/console inside an initramfs (/etc/initrd-release), else
	// nowhere.
	std::string consolePath;
};

struct ProviderInputs {
	// IGNITION_CONFIG_FILE, empty when unset.
	std::string configFileEnv;
	// IGNITION_KERNEL_CMDLINE_PATH, else /proc/cmdline.
	std::string kernelCmdlinePath = "/proc/cmdline";
	// Where user.ign and base.d live, highest priority first:
	// IGNITION_SYSTEM_RUNTIME_CONFIG_DIR (/run/ignition),
	// IGNITION_SYSTEM_LOCAL_CONFIG_DIR (/etc/ignition),
	// IGNITION_SYSTEM_CONFIG_DIR (/usr/lib/ignition).
	std::vector<std::string> systemConfigDirs = { "/run/ignition", "/etc/ignition", "/usr/lib/ignition" };
	FetchEnvironment fetch;
	// Where ignition.config.device= labels are looked up:
	// /dev/disk/by-label, or FLINT_DISK_BY_LABEL_DIR (tests, no udev).
	std::string diskByLabelDir = "/dev/disk/by-label";
	// Not a provider input, but environment the files stage needs:
	// IGNITION_WRITE_AUTHORIZED_KEYS_FRAGMENT (Ignition's distro knob) —
	// SSH keys go to ~/.ssh/authorized_keys.d/ignition (true) or
	// ~/.ssh/authorized_keys (false).
	bool authorizedKeysFragment = true;
	// FLINT_DEVICE_TIMEOUT: how long the disks and mount stages wait for
	// each device. deviceTimeoutError says why the variable was unusable
	// (the stage then fails before doing anything).
	std::chrono::milliseconds deviceTimeout = std::chrono::seconds(90);
	std::string deviceTimeoutError;
};

// A provider's answer: the raw config, or none (Ignition's ErrEmpty: metal,
// no QEMU fw_cfg entry).
struct ProviderConfig {
	std::optional<std::string> raw;
};

// Fetches the config of `platform`, logging as Ignition's providers do.
// Errors (an unreadable file) are fatal for the stage.
[[nodiscard]] Result<ProviderConfig> fetchPlatformConfig(Platform platform, const ProviderInputs &inputs);

} // namespace flint::engine

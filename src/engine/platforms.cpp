// The platforms Flint can fetch a provider config from (-platform) and how each one does it.
#include "engine/platforms.h"

#include <algorithm>

#include "engine/command.h"
#include "engine/fsutil.h"
#include "engine/log_categories.h"
#include "flint/base/go.h"

namespace flint::engine {

namespace {

constexpr const char *kDefaultConfigFile = "config.ign";
constexpr const char *kQemuFwCfgDir = "/sys/firmware/qemu_fw_cfg";
constexpr const char *kQemuConfigRaw = "/sys/firmware/qemu_fw_cfg/by_name/opt/com.coreos/config/raw";

// Ignition 2.14's platforms (internal/platform/platform.go).
const std::vector<std::string_view> &ignitionPlatformNames()
{
	static const std::vector<std::string_view> names = {
		"aliyun", "aws", "azure", "azurestack", "brightbox", "cloudstack", "digitalocean",
		"exoscale", "file", "gcp", "ibmcloud", "kubevirt", "metal", "nutanix", "openstack",
		"packet", "powervs", "qemu", "virtualbox", "vmware", "vultr", "zvm",
	};
	return names;
}

std::string supportedList()
{
	std::string out = "[";
	for (std::string_view n : supportedPlatformNames()) {
		if (out.size() > 1)
			out += " ";
		out += n;
	}
	return out + "]";
}

// internal/providers/file: IGNITION_CONFIG_FILE, else config.ign in the
// working directory; a read error is fatal.
Result<ProviderConfig> fetchFile(const ProviderInputs &inputs)
{
	std::string filename = inputs.configFileEnv;
	if (filename.empty()) {
		filename = kDefaultConfigFile;
		LOG(Engine, Info) << "using default filename";
	}
	LOG(Engine, Info) << "using config file at " << go::quote(filename);

	Result<std::string> raw = readFile(filename);
	if (!raw) {
		LOG(Engine, Error) << "couldn't read config " << go::quote(filename) << ": " << raw.error().message();
		return unexpected(raw.error());
	}
	return ProviderConfig{ std::move(*raw) };
}

// internal/providers/qemu (HEAD): load qemu_fw_cfg unless it is already
// there, then read opt/com.coreos/config; no entry means no config.
Result<ProviderConfig> fetchQemu()
{
	if (!pathExists(kQemuFwCfgDir)) {
		if (Result<void> r = runLogged({ "modprobe", "qemu_fw_cfg" }, "loading QEMU firmware config module"); !r)
			return unexpected(r.error());
	}
	if (!pathExists(kQemuConfigRaw)) {
		LOG(Engine, Info) << "QEMU firmware config was not found. Ignoring...";
		return ProviderConfig{};
	}
	Result<std::string> raw = readFile(kQemuConfigRaw);
	if (!raw) {
		LOG(Engine, Error) << "couldn't read QEMU firmware config: " << raw.error().message();
		return unexpected(raw.error());
	}
	return ProviderConfig{ std::move(*raw) };
}

} // namespace

const std::vector<std::string_view> &supportedPlatformNames()
{
	static const std::vector<std::string_view> names = { "file", "metal", "qemu" };
	return names;
}

std::optional<Platform> platformFromName(std::string_view name)
{
	if (name == "file")
		return Platform::File;
	if (name == "metal")
		return Platform::Metal;
	if (name == "qemu")
		return Platform::Qemu;
	return std::nullopt;
}

Result<void> checkPlatformName(std::string_view name)
{
	if (platformFromName(name))
		return {};
	const auto &ign = ignitionPlatformNames();
	if (std::find(ign.begin(), ign.end(), name) != ign.end())
		return unexpected(std::string(name) + " is a valid Ignition platform but not supported by Flint yet; supported: " +
				  supportedList());
	return unexpected(std::string(name) + " is not a valid platform; supported: " + supportedList());
}

Result<ProviderConfig> fetchPlatformConfig(Platform platform, const ProviderInputs &inputs)
{
	switch (platform) {
	case Platform::File:
		return fetchFile(inputs);
	case Platform::Metal:
		LOG(Engine, Debug) << "noop provider fetching empty config";
		return ProviderConfig{};
	case Platform::Qemu:
		return fetchQemu();
	}
	return ProviderConfig{};
}

} // namespace flint::engine

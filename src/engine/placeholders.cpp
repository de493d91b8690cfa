// ${mac}-style placeholders in ignition.config.url, filled from the machine (beyond Ignition).
#include "engine/placeholders.h"

#include <algorithm>
#include <cctype>
#include <dirent.h>
#include <vector>

#include "engine/cmdline.h"
#include "engine/fsutil.h"
#include "flint/base/go.h"

namespace flint::engine {

namespace {

std::string lower(std::string s)
{
	std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
	return s;
}

Result<std::string> readTrimmed(const std::string &path)
{
	Result<std::string> raw = readFile(path);
	if (!raw)
		return raw;
	return std::string(go::trimSpace(*raw));
}

bool isMac(std::string_view s)
{
	if (s.size() != 17)
		return false;
	for (std::size_t i = 0; i < s.size(); i++) {
		if (i % 3 == 2 ? s[i] != ':' : !std::isxdigit(static_cast<unsigned char>(s[i])))
			return false;
	}
	return s != "00:00:00:00:00:00";
}

// BOOTIF=01-aa-bb-cc-dd-ee-ff (ARP type 1, then the MAC with hyphens).
std::optional<std::string> bootifMac(std::string_view cmdline)
{
	std::optional<std::string> mac;
	for (const std::string &arg : splitCmdline(cmdline)) {
		if (!arg.starts_with("BOOTIF="))
			continue;
		std::string v = lower(arg.substr(7));
		if (v.size() == 20 && v.starts_with("01-"))
			v = v.substr(3);
		std::replace(v.begin(), v.end(), '-', ':');
		if (isMac(v))
			mac = v;
	}
	return mac;
}

Result<std::string> interfaceMac(const MachineSources &src)
{
	if (auto m = bootifMac(src.cmdline))
		return *m;
	std::string dir = src.sysRoot + "/class/net";
	DIR *d = opendir(dir.c_str());
	if (!d)
		return unexpected(errnoError("cannot fill ${mac}: open " + dir));
	std::vector<std::string> names;
	while (struct dirent *e = readdir(d))
		if (e->d_name[0] != '.')
			names.push_back(e->d_name);
	closedir(d);
	std::sort(names.begin(), names.end());
	std::optional<std::string> virtualMac;
	for (const std::string &n : names) {
		std::string base = dir + "/" + n;
		Result<std::string> type = readTrimmed(base + "/type");
		if (type && *type == "772") // ARPHRD_LOOPBACK
			continue;
		Result<std::string> mac = readTrimmed(base + "/address");
		if (!mac || !isMac(lower(*mac)))
			continue;
		if (pathExists(base + "/device"))
			return lower(*mac);
		if (!virtualMac)
			virtualMac = lower(*mac);
	}
	if (virtualMac)
		return *virtualMac;
	return unexpected(std::string("cannot fill ${mac}: no network interface with a MAC address in " + dir));
}

} // namespace

Result<std::string> expandPlaceholders(std::string_view url,
				       const std::function<Result<std::string>(std::string_view)> &lookup)
{
	std::string out;
	std::size_t pos = 0;
	while (true) {
		std::size_t start = url.find("${", pos);
		if (start == std::string_view::npos) {
			out.append(url.substr(pos));
			return out;
		}
		std::size_t end = url.find('}', start + 2);
		if (end == std::string_view::npos)
			return unexpected("ignition.config.url: unterminated placeholder at " +
					  go::quote(std::string(url.substr(start))));
		std::string_view name = url.substr(start + 2, end - start - 2);
		if (name != "mac" && name != "mac:hexhyp" && name != "uuid" && name != "hostname")
			return unexpected("ignition.config.url: unknown placeholder ${" + std::string(name) +
					  "}; Flint fills " + std::string(kPlaceholderNames));
		Result<std::string> value = lookup(name);
		if (!value)
			return unexpected(Error("ignition.config.url: " + value.error().message(), value.error().errnum()));
		out.append(url.substr(pos, start - pos));
		out.append(*value);
		pos = end + 1;
	}
}

Result<std::string> machineFact(std::string_view name, const MachineSources &src)
{
	if (name == "mac" || name == "mac:hexhyp") {
		Result<std::string> mac = interfaceMac(src);
		if (mac && name == "mac:hexhyp")
			std::replace(mac->begin(), mac->end(), ':', '-');
		return mac;
	}
	if (name == "uuid") {
		std::string path = src.sysRoot + "/class/dmi/id/product_uuid";
		Result<std::string> uuid = readTrimmed(path);
		if (!uuid)
			return unexpected(Error("cannot fill ${uuid}: " + uuid.error().message(), uuid.error().errnum()));
		if (uuid->empty())
			return unexpected("cannot fill ${uuid}: " + path + " is empty");
		return lower(*uuid);
	}
	if (name == "hostname") {
		Result<std::string> host = readTrimmed(src.procRoot + "/sys/kernel/hostname");
		if (!host)
			return unexpected(Error("cannot fill ${hostname}: " + host.error().message(), host.error().errnum()));
		return *host;
	}
	return unexpected("unknown placeholder ${" + std::string(name) + "}");
}

} // namespace flint::engine

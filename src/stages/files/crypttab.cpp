// storage.luks in the files stage: crypttab lines and key files (Ignition's createCrypttabEntries).
#include "files_internal.h"

#include <fcntl.h>
#include <unistd.h>

#include <map>
#include <set>

#include "flint/base/dataurl.h"
#include "flint/base/fd_io.h"
#include "flint/base/go.h"
#include "flint/system/blockdev.h"
#include "flint/system/devices.h"

namespace flint::stages::files {

namespace {

using system::RootDir;

// Ignition's distro.LuksRealRootKeyFilePath(), and where the disks stage
// left its device aliases.
constexpr std::string_view kLuksKeyDir = "/etc/luks";
constexpr std::string_view kAliasDir = "/run/ignition/dev_aliases";

bool clevisPresent(const config::Clevis &c)
{
	return (c.custom.pin && !c.custom.pin->empty()) || !c.tang.empty() || isTrue(c.tpm2) ||
	       (c.threshold && *c.threshold != 0);
}

// The volume's LUKS UUID, read from its header with libblkid (Ignition
// runs `cryptsetup luksUUID` on the alias; the header is the same). The
// alias the disks stage made is tried first, as Ignition does; without it
// (no disks stage in this boot), the device path itself.
Result<std::string> luksUuid(const config::Luks &l, const std::string &field)
{
	const std::string device = l.device.value_or("");
	std::string dev = system::deviceAlias(std::string(kAliasDir), device);
	struct stat st;
	if (::stat(dev.c_str(), &st) != 0)
		dev = device;
	Result<system::FilesystemProbe> probe = system::probeFilesystem(dev);
	if (!probe)
		return unexpected(probe.error().withContext("gathering luks uuid of " + go::quote(device) + " (" +
							     field + ")"));
	if (probe->type != "crypto_LUKS")
		return unexpected("gathering luks uuid: " + device + " (" + field + ") is not a LUKS volume (" +
				  (probe->type.empty() ? std::string("blkid finds no signature")
						       : "blkid finds " + probe->type) +
				  "); the disks stage creates it: run it with this config first");
	if (probe->uuid.empty())
		return unexpected("gathering luks uuid: the LUKS header on " + device + " (" + field + ") has no UUID");
	return probe->uuid;
}

} // namespace

Result<LuksPlan> planLuks(const std::vector<config::Luks> &volumes, const FilesContext &ctx)
{
	LuksPlan plan;
	plan.volumes = volumes.size();
	if (volumes.empty())
		return plan;
	RootDir &root = *ctx.root;

	Result<std::string> crypttab = root.resolvedPath("/etc/crypttab");
	if (!crypttab)
		return unexpected(crypttab.error().withContext("building crypttab filepath"));
	plan.crypttab = *crypttab;
	std::string existing;
	Result<std::optional<struct stat>> cst = root.lstat(plan.crypttab);
	if (!cst)
		return unexpected(cst.error());
	if (*cst) {
		if (!S_ISREG((*cst)->st_mode))
			return unexpected("error creating file " + go::quote(root.hostPath(plan.crypttab)) +
					  ": A non regular file exists there already and overwrite is false");
		Result<std::optional<std::string>> text = root.readFile(plan.crypttab);
		if (!text)
			return unexpected(text.error());
		existing = text->value_or("");
		plan.crypttabExists = true;
		plan.crypttabNeedsNewline = !existing.empty() && existing.back() != '\n';
	}
	// The lines crypttab has, to leave out what a rerun would repeat.
	std::set<std::string> have;
	std::map<std::string, std::string> haveByName;
	for (std::size_t i = 0; i < existing.size();) {
		std::size_t nl = existing.find('\n', i);
		std::string line = existing.substr(i, nl == std::string::npos ? std::string::npos : nl - i);
		i = nl == std::string::npos ? existing.size() : nl + 1;
		have.insert(line);
		std::string_view t = go::trimSpace(line);
		if (!t.empty() && t[0] != '#')
			haveByName.emplace(std::string(t.substr(0, t.find_first_of(" \t"))), line);
	}

	for (std::size_t i = 0; i < volumes.size(); i++) {
		const config::Luks &l = volumes[i];
		const std::string field = "storage.luks." + std::to_string(i);
		if (isTrue(l.cex.enabled))
			return unexpected("LUKS volume " + go::quote(l.name) + " (" + field +
					  "): cex (IBM Z Crypto Express secure keys) is not supported by Flint");
		Result<std::string> uuid = luksUuid(l, field);
		if (!uuid)
			return unexpected(uuid.error());

		const config::Clevis &c = l.clevis;
		std::string netdev;
		if (!c.tang.empty() || (c.custom.pin && !c.custom.pin->empty() && isTrue(c.custom.needsNetwork)))
			netdev = ",_netdev";
		std::string keyfile = "none";
		if (!clevisPresent(c)) {
			keyfile = go::pathJoin(std::string(kLuksKeyDir), l.name);
			const std::string *url = nullptr;
			if (ctx.luksPersistKeyFiles) {
				auto it = ctx.luksPersistKeyFiles->find(l.name);
				if (it != ctx.luksPersistKeyFiles->end())
					url = &it->second;
			}
			if (!url)
				return unexpected("missing persisted keyfile for " + l.name + " (" + field +
						  "): the state file has no luksPersistKeyFiles entry for it; the "
						  "disks stage records the key when it creates or reuses the volume, so "
						  "run the disks stage with this config first (in the same boot: the "
						  "state lives in /run)");
			Result<DataUrl> key = decodeDataUrl(*url);
			if (!key)
				return unexpected(key.error().withContext("decoding the persisted key of LUKS volume " +
									  go::quote(l.name)));
			LuksPlan::KeyFile kf{ l.name, keyfile, key->data, false };
			Result<std::string> resolved = root.resolvedPath(keyfile);
			if (!resolved)
				return unexpected(resolved.error().withContext("building keyfile path"));
			kf.path = *resolved;
			Result<std::optional<struct stat>> kst = root.lstat(kf.path);
			if (!kst)
				return unexpected(kst.error());
			if (*kst) {
				std::optional<std::string> cur;
				if (S_ISREG((*kst)->st_mode)) {
					Result<std::optional<std::string>> text = root.readFile(kf.path);
					if (!text)
						return unexpected(text.error());
					cur = std::move(*text);
				}
				if (!cur || *cur != kf.key)
					return unexpected("error creating file " + go::quote(root.hostPath(kf.path)) +
							  ": A file exists there already and overwrite is false (it does "
							  "not hold the key of LUKS volume " + go::quote(l.name) +
							  "; remove it if it is stale)");
				kf.present = true;
			}
			plan.keys.push_back(std::move(kf));
		}
		// HEAD's x-initrd.attach keeps a volume the initramfs opened (the
		// root) attached until the very end of shutdown.
		std::string line = l.name + " UUID=" + *uuid + " " + keyfile + " luks" + netdev + ",x-initrd.attach";
		if (have.count(line))
			continue;
		if (auto other = haveByName.find(l.name); other != haveByName.end())
			LOG(Files, Warning) << root.hostPath(plan.crypttab) << " already has an entry for "
					    << go::quote(l.name) << " (" << go::quote(other->second)
					    << "); appending the one for the volume the disks stage made, as Ignition "
					       "does: edit out the stale one";
		have.insert(line);
		plan.lines.push_back(line + "\n");
	}

	if (!plan.keys.empty()) {
		Result<std::string> dir = root.resolvedPath(kLuksKeyDir);
		if (!dir)
			return unexpected(dir.error().withContext("building keyfile dir path"));
		Result<std::optional<struct stat>> dst = root.lstat(*dir);
		if (!dst)
			return unexpected(dst.error().withContext("checking if keyfile dir exists"));
		if (*dst && !S_ISDIR((*dst)->st_mode))
			return unexpected("error creating directory " + root.hostPath(*dir) +
					  ": A non-directory already exists and overwrite is false");
		plan.createKeyDir = !*dst;
	}
	return plan;
}

Result<void> applyLuks(const LuksPlan &plan, RootDir &root, Relabeler &relabel)
{
	if (plan.volumes == 0)
		return {};
	log::PrefixScope prefix("createCrypttabEntries");
	log::PrefixScope files("createFiles");
	config::Node owner; // no user or group: the current owner (0:0 when new)

	if (plan.createKeyDir) {
		Result<std::string> dir = root.resolvedPath(kLuksKeyDir);
		if (!dir)
			return unexpected(dir.error());
		relabel.addFirstMissing(root, *dir);
		if (Result<std::vector<std::string>> made = root.mkdirAll(*dir, 0755); !made)
			return unexpected(made.error().withContext("failed to create directory " + root.hostPath(*dir)));
		if (Result<void> r = setPermissions(root, *dir, owner, 0700); !r)
			return unexpected(r.error().withContext("error setting directory permissions for " +
								root.hostPath(*dir)));
		LOG(Files, Info) << "directory " << go::quote(*dir) << ": created (LUKS key files, mode 0700)";
	}

	for (const LuksPlan::KeyFile &k : plan.keys) {
		const std::string host = root.hostPath(k.path);
		if (k.present) {
			LOG(Files, Info) << "file " << go::quote(k.path) << ": kept (already holds the key of "
					 << go::quote(k.volume) << ")";
			continue;
		}
		relabel.addFirstMissing(root, k.path);
		Result<void> r = log::logOperation("writing file " + go::quote(host), [&]() -> Result<void> {
			Result<system::TempFile> tmp = root.createTempBeside(k.path);
			if (!tmp)
				return unexpected(tmp.error());
			// Never readable by others, not even before the rename.
			if (::fchmod(tmp->fd(), 0600) != 0)
				return unexpected(errnoError("chmod " + host));
			if (Result<void> w = writeAll(tmp->fd(), k.key); !w)
				return w;
			return tmp->commit(system::TempFile::Sync::Deferred);
		});
		if (!r)
			return unexpected(r.error().withContext("failed to create file " + go::quote(host)));
		if (Result<void> p = setPermissions(root, k.path, owner, 0600); !p)
			return unexpected(p.error().withContext("error setting file permissions for " + host));
		LOG(Files, Info) << "file " << go::quote(k.path) << ": created (key of LUKS volume " << go::quote(k.volume)
				 << ", mode 0600)";
	}

	const std::string host = root.hostPath(plan.crypttab);
	std::string text = plan.crypttabNeedsNewline ? "\n" : "";
	for (const std::string &l : plan.lines)
		text += l;
	if (!plan.crypttabExists) {
		relabel.addFirstMissing(root, plan.crypttab);
		Result<void> r = log::logOperation("writing file " + go::quote(host), [&]() -> Result<void> {
			if (Result<std::vector<std::string>> made = root.mkdirAll(go::pathDir(plan.crypttab), 0755); !made)
				return unexpected(made.error());
			Result<system::TempFile> tmp = root.createTempBeside(plan.crypttab);
			if (!tmp)
				return unexpected(tmp.error());
			if (::fchmod(tmp->fd(), 0600) != 0)
				return unexpected(errnoError("chmod " + host));
			if (Result<void> w = writeAll(tmp->fd(), text); !w)
				return w;
			return tmp->commit(system::TempFile::Sync::Deferred);
		});
		if (!r)
			return unexpected(r.error().withContext("failed to create file " + go::quote(host)));
	} else if (!plan.lines.empty()) {
		Result<void> r = log::logOperation("appending to file " + go::quote(host), [&]() -> Result<void> {
			Result<UniqueFd> out = root.openAppend(plan.crypttab);
			if (!out)
				return unexpected(out.error());
			return writeAll(out->get(), text);
		});
		if (!r)
			return unexpected(r.error().withContext("failed to create file " + go::quote(host)));
	}
	if (Result<void> p = setPermissions(root, plan.crypttab, owner, 0600); !p)
		return unexpected(p.error().withContext("error setting file permissions for " + host));
	LOG(Files, Info) << "file " << go::quote(plan.crypttab) << ": "
			 << (!plan.crypttabExists ? "created" : plan.lines.empty() ? "kept" : "appended") << " ("
			 << plan.lines.size() << " of " << plan.volumes << " LUKS entr"
			 << (plan.volumes == 1 ? "y" : "ies")
			 << (plan.lines.size() == plan.volumes ? "" : ", the others were there already") << ")";
	return {};
}

} // namespace flint::stages::files

// LUKS2 volumes with cryptsetup (and clevis where the initramfs has it): keys, reuse or format, open.
#include <dirent.h>
#include <fcntl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <optional>

#include "disks_internal.h"
#include "flint/base/fd_io.h"
#include "flint/base/go.h"
#include "flint/base/json.h"
#include "flint/base/unique_fd.h"
#include "flint/fetch/fetcher.h"
#include "flint/system/blockdev.h"
#include "flint/system/devices.h"
#include "flint/system/distro.h"
#include "flint/system/exec.h"

namespace flint::stages::disks {

namespace {

using config::Luks;

// Ignition's ErrBadVolume, kept at the start of a refusal.
constexpr std::string_view kErrBadVolume = "volume is not of the correct type";

// Ignition's generated key: 4096 random bytes, hex-encoded (clevis chokes
// on raw binary keys).
constexpr std::size_t kGeneratedKeyBytes = 4096;

// --- data URLs as Ignition's state file holds the keys ---------------------

// Go 1.19's http.DetectContentType, which dataurl.EncodeBytes uses to name
// the media type: the WHATWG sniffing table over the first 512 bytes.
std::string detectContentType(std::string_view data)
{
	if (data.size() > 512)
		data = data.substr(0, 512);
	auto isWS = [](unsigned char b) { return b == '\t' || b == '\n' || b == '\x0c' || b == '\r' || b == ' '; };
	std::size_t firstNonWS = 0;
	while (firstNonWS < data.size() && isWS(static_cast<unsigned char>(data[firstNonWS])))
		firstNonWS++;
	const std::string_view ws = data.substr(firstNonWS);

	static const char *const kHtml[] = {
		"<!DOCTYPE HTML", "<HTML", "<HEAD", "<SCRIPT", "<IFRAME", "<H1", "<DIV", "<FONT", "<TABLE",
		"<A", "<STYLE", "<TITLE", "<B", "<BODY", "<BR", "<P", "<!--",
	};
	for (const char *sig : kHtml) {
		std::string_view h(sig);
		if (ws.size() < h.size() + 1)
			continue;
		bool match = true;
		for (std::size_t i = 0; i < h.size() && match; i++) {
			unsigned char db = static_cast<unsigned char>(ws[i]);
			if (h[i] >= 'A' && h[i] <= 'Z')
				db &= 0xDF;
			match = db == static_cast<unsigned char>(h[i]);
		}
		if (match && (ws[h.size()] == ' ' || ws[h.size()] == '>'))
			return "text/html; charset=utf-8";
	}
	// Masked signatures: data[i] & mask[i] == pattern[i].
	struct Masked {
		std::string_view mask, pat, ct;
		bool skipWS;
	};
	using namespace std::string_view_literals;
	auto masked = [&](const Masked &m) {
		std::string_view d = m.skipWS ? ws : data;
		if (d.size() < m.pat.size())
			return false;
		for (std::size_t i = 0; i < m.pat.size(); i++)
			if ((static_cast<unsigned char>(d[i]) & static_cast<unsigned char>(m.mask[i])) !=
			    static_cast<unsigned char>(m.pat[i]))
				return false;
		return true;
	};
	auto exact = [&](std::string_view sig) { return data.substr(0, sig.size()) == sig; };
	if (masked({ "\xFF\xFF\xFF\xFF\xFF"sv, "<?xml"sv, {}, true }))
		return "text/xml; charset=utf-8";
	if (exact("%PDF-"))
		return "application/pdf";
	if (exact("%!PS-Adobe-"))
		return "application/postscript";
	if (masked({ "\xFF\xFF\x00\x00"sv, "\xFE\xFF\x00\x00"sv, {}, false }))
		return "text/plain; charset=utf-16be";
	if (masked({ "\xFF\xFF\x00\x00"sv, "\xFF\xFE\x00\x00"sv, {}, false }))
		return "text/plain; charset=utf-16le";
	if (masked({ "\xFF\xFF\xFF\x00"sv, "\xEF\xBB\xBF\x00"sv, {}, false }))
		return "text/plain; charset=utf-8";
	static const std::pair<std::string_view, const char *> kExact1[] = {
		{ "\x00\x00\x01\x00"sv, "image/x-icon" }, { "\x00\x00\x02\x00"sv, "image/x-icon" },
		{ "BM"sv, "image/bmp" },		  { "GIF87a"sv, "image/gif" },
		{ "GIF89a"sv, "image/gif" },
	};
	for (const auto &[sig, ct] : kExact1)
		if (exact(sig))
			return ct;
	if (masked({ "\xFF\xFF\xFF\xFF\x00\x00\x00\x00\xFF\xFF\xFF\xFF\xFF\xFF"sv, "RIFF\x00\x00\x00\x00WEBPVP"sv, {},
		     false }))
		return "image/webp";
	if (exact("\x89PNG\x0D\x0A\x1A\x0A"sv))
		return "image/png";
	if (exact("\xFF\xD8\xFF"sv))
		return "image/jpeg";
	constexpr std::string_view kRiffMask = "\xFF\xFF\xFF\xFF\x00\x00\x00\x00\xFF\xFF\xFF\xFF"sv;
	if (masked({ kRiffMask, "FORM\x00\x00\x00\x00" "AIFF"sv, {}, false }))
		return "audio/aiff";
	if (exact("ID3"))
		return "audio/mpeg";
	if (exact("OggS\x00"sv))
		return "application/ogg";
	if (exact("MThd\x00\x00\x00\x06"sv))
		return "audio/midi";
	if (masked({ kRiffMask, "RIFF\x00\x00\x00\x00" "AVI "sv, {}, false }))
		return "video/avi";
	if (masked({ kRiffMask, "RIFF\x00\x00\x00\x00WAVE"sv, {}, false }))
		return "audio/wave";
	// MP4: an ftyp box whose brands include "mp4".
	if (data.size() >= 12) {
		std::size_t box = (static_cast<std::size_t>(static_cast<unsigned char>(data[0])) << 24) |
				  (static_cast<std::size_t>(static_cast<unsigned char>(data[1])) << 16) |
				  (static_cast<std::size_t>(static_cast<unsigned char>(data[2])) << 8) |
				  static_cast<std::size_t>(static_cast<unsigned char>(data[3]));
		if (data.size() >= box && box % 4 == 0 && data.substr(4, 4) == "ftyp") {
			for (std::size_t st = 8; st < box; st += 4)
				if (st != 12 && data.substr(st, 3) == "mp4")
					return "video/mp4";
		}
	}
	if (exact("\x1A\x45\xDF\xA3"sv))
		return "video/webm";
	if (data.size() >= 36 && data.substr(34, 2) == "LP")
		return "application/vnd.ms-fontobject";
	static const std::pair<std::string_view, const char *> kExact2[] = {
		{ "\x00\x01\x00\x00"sv, "font/ttf" },
		{ "OTTO"sv, "font/otf" },
		{ "ttcf"sv, "font/collection" },
		{ "wOFF"sv, "font/woff" },
		{ "wOF2"sv, "font/woff2" },
		{ "\x1F\x8B\x08"sv, "application/x-gzip" },
		{ "PK\x03\x04"sv, "application/zip" },
		{ "Rar!\x1A\x07\x00"sv, "application/x-rar-compressed" },
		{ "Rar!\x1A\x07\x01\x00"sv, "application/x-rar-compressed" },
		{ "\x00\x61\x73\x6D"sv, "application/wasm" },
	};
	for (const auto &[sig, ct] : kExact2)
		if (exact(sig))
			return ct;
	for (unsigned char b : ws)
		if (b <= 0x08 || b == 0x0B || (b >= 0x0E && b <= 0x1A) || (b >= 0x1C && b <= 0x1F))
			return "application/octet-stream";
	return "text/plain; charset=utf-8";
}

std::string base64(std::string_view in)
{
	static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	std::string out;
	out.reserve((in.size() + 2) / 3 * 4);
	std::size_t i = 0;
	auto byte = [&](std::size_t k) { return static_cast<unsigned>(static_cast<unsigned char>(in[k])); };
	for (; i + 2 < in.size(); i += 3) {
		unsigned v = byte(i) << 16 | byte(i + 1) << 8 | byte(i + 2);
		for (int s = 18; s >= 0; s -= 6)
			out += kAlphabet[(v >> s) & 63];
	}
	if (i + 1 == in.size()) {
		unsigned v = byte(i) << 16;
		out += kAlphabet[(v >> 18) & 63];
		out += kAlphabet[(v >> 12) & 63];
		out += "==";
	} else if (i + 2 == in.size()) {
		unsigned v = byte(i) << 16 | byte(i + 1) << 8;
		out += kAlphabet[(v >> 18) & 63];
		out += kAlphabet[(v >> 12) & 63];
		out += kAlphabet[(v >> 6) & 63];
		out += '=';
	}
	return out;
}

// dataurl.EncodeBytes: "data:<sniffed type, '; ' as ';'>;base64,<data>".
std::string encodeDataUrl(std::string_view bytes)
{
	std::string type = detectContentType(bytes);
	for (std::size_t p; (p = type.find("; ")) != std::string::npos;)
		type.erase(p + 1, 1);
	return "data:" + type + ";base64," + base64(bytes);
}

// --- key files -------------------------------------------------------------

// A private temporary key file (0400), removed when the object goes.
class KeyFile final
{
public:
	KeyFile() = default;
	KeyFile(KeyFile &&other) noexcept : path_(std::move(other.path_)) { other.path_.clear(); }
	KeyFile &operator=(KeyFile &&other) noexcept
	{
		std::swap(path_, other.path_);
		return *this;
	}
	KeyFile(const KeyFile &) = delete;
	~KeyFile()
	{
		if (!path_.empty() && unlink(path_.c_str()) != 0 && errno != ENOENT)
			LOG(Disks, Warning) << "could not remove file " << path_ << ": " << std::strerror(errno);
	}

	static Result<KeyFile> write(const std::string &dir, std::string_view key)
	{
		std::string tmpl = go::pathJoin(dir, "flint-luks-XXXXXX");
		UniqueFd fd(mkostemp(tmpl.data(), O_CLOEXEC));
		if (!fd.isValid())
			return unexpected(errnoError("creating keyfile in " + dir));
		KeyFile k;
		k.path_ = tmpl;
		if (fchmod(fd.get(), 0400) != 0)
			return unexpected(errnoError("creating keyfile " + tmpl));
		if (Result<void> r = writeAll(fd.get(), key); !r)
			return unexpected(r.error().withContext("creating keyfile " + tmpl));
		if (close(fd.release()) != 0)
			return unexpected(errnoError("creating keyfile " + tmpl));
		return k;
	}

	const std::string &path() const { return path_; }

private:
	std::string path_;
};

std::string hexEncode(std::string_view bytes)
{
	static constexpr char kDigits[] = "0123456789abcdef";
	std::string out;
	out.reserve(bytes.size() * 2);
	for (unsigned char b : bytes) {
		out += kDigits[b >> 4];
		out += kDigits[b & 15];
	}
	return out;
}

Result<std::string> randomHexKey()
{
	std::string bytes(kGeneratedKeyBytes, '\0');
	std::size_t got = 0;
	while (got < bytes.size()) {
		// Blocks until the kernel's pool is initialised, as Go's
		// crypto/rand does: a key must not be guessable.
		ssize_t n = getrandom(bytes.data() + got, bytes.size() - got, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return unexpected(errnoError("generating keyfile"));
		got += static_cast<std::size_t>(n);
	}
	return hexEncode(bytes);
}

// --- clevis ------------------------------------------------------------------

bool clevisPresent(const config::Clevis &c)
{
	return (c.custom.pin && !c.custom.pin->empty()) || !c.tang.empty() || c.tpm2.value_or(false);
}

// The pin and its configuration: the custom pin as given, or Ignition's
// sss of tang servers and the TPM: {"pins":{"tang":[...],"tpm2":{}},"t":N}.
Result<std::pair<std::string, std::string>> clevisPinConfig(const config::Clevis &c)
{
	if (c.custom.pin && !c.custom.pin->empty())
		return std::make_pair(*c.custom.pin, c.custom.config.value_or(""));
	std::string out;
	json::Writer w(out);
	w.beginObject();
	w.key("pins");
	w.beginObject();
	const bool tpm = c.tpm2.value_or(false);
	if (!c.tang.empty() || !tpm) {
		w.key("tang");
		if (c.tang.empty()) {
			w.null();
		} else {
			w.beginArray();
			for (const config::Tang &t : c.tang) {
				w.beginObject();
				w.key("url");
				w.string(t.url);
				if (t.thumbprint && !t.thumbprint->empty()) {
					w.key("thp");
					w.string(*t.thumbprint);
				}
				if (t.advertisement) {
					json::ParseOutcome adv = json::parse(*t.advertisement);
					if (adv.error)
						return unexpected("unmarshalling advertisement: " + adv.error->message);
					if (!adv.value->isNull()) {
						w.key("adv");
						json::writeGoAny(w, *adv.value);
					}
				}
				w.endObject();
			}
			w.endArray();
		}
	}
	if (tpm) {
		w.key("tpm2");
		w.beginObject();
		w.endObject();
	}
	w.endObject();
	w.key("t");
	w.number(c.threshold.value_or(1));
	w.endObject();
	return std::make_pair(std::string("sss"), out);
}

// url with path.Join(path, "adv"), as Ignition builds a tang server's
// advertisement URL.
std::string advertisementUrl(const std::string &url)
{
	std::size_t scheme = url.find("://");
	std::size_t pathStart = scheme == std::string::npos ? 0 : url.find_first_of("/?#", scheme + 3);
	if (pathStart == std::string::npos)
		pathStart = url.size();
	std::size_t pathEnd = url.find_first_of("?#", pathStart);
	if (pathEnd == std::string::npos)
		pathEnd = url.size();
	std::string path = go::pathJoin(url.substr(pathStart, pathEnd - pathStart), "adv");
	if (path[0] != '/')
		path = "/" + path;
	return url.substr(0, pathStart) + path + url.substr(pathEnd);
}

// --- cryptsetup --------------------------------------------------------------

// Runs a command whose non-zero exit is an answer, not a failure; returns
// whether it exited 0. Logged as Ignition's isLuks operation.
Result<bool> succeeds(const std::vector<std::string> &argv, const std::string &what)
{
	bool ok = false;
	Result<void> r = log::logOperation(what, [&]() -> Result<void> {
		LOG(Disks, Debug) << "executing: " << system::quotedCommand(argv);
		Result<system::ExecOutput> o = system::execCapture(argv);
		if (!o)
			return unexpected(o.error().message() + ": Cmd: " + system::quotedCommand(argv));
		ok = WIFEXITED(o->status) && WEXITSTATUS(o->status) == 0;
		return {};
	});
	if (!r)
		return unexpected(r.error());
	return ok;
}

// HEAD's luksOpenArgs: --persistent stores --allow-discards and the open
// options in the header, so clevis and systemd-cryptsetup unlocks get them.
std::vector<std::string> luksOpenArgv(const Luks &luks, const std::string &alias, const std::string &key)
{
	std::vector<std::string> argv{ distro::kCryptsetupCmd, "luksOpen", alias, luks.name, "--key-file", key,
				       "--persistent" };
	if (luks.discard.value_or(false))
		argv.push_back("--allow-discards");
	argv.insert(argv.end(), luks.openOptions.begin(), luks.openOptions.end());
	return argv;
}

std::vector<std::string> luksFormatArgv(const Luks &luks, const std::string &alias, const std::string &key)
{
	std::vector<std::string> argv{ distro::kCryptsetupCmd, "luksFormat", "--type", "luks2", "--key-file", key };
	if (luks.label && !luks.label->empty()) {
		argv.push_back("--label");
		argv.push_back(*luks.label);
	}
	if (luks.uuid && !luks.uuid->empty()) {
		argv.push_back("--uuid");
		argv.push_back(*luks.uuid);
	}
	argv.insert(argv.end(), luks.options.begin(), luks.options.end());
	argv.push_back(alias);
	return argv;
}

// Whether the LUKS header carries the allow-discards flag (luksDump's JSON
// metadata, config.flags).
Result<bool> hasDiscardFlag(const std::string &alias)
{
	std::vector<std::string> argv{ distro::kCryptsetupCmd, "luksDump", "--dump-json-metadata", alias };
	Result<system::ExecOutput> o = system::execCapture(argv);
	if (!o)
		return unexpected(o.error());
	if (!WIFEXITED(o->status) || WEXITSTATUS(o->status) != 0)
		return unexpected(system::exitStatusText(o->status) + ": Cmd: " + system::quotedCommand(argv) +
				  " Stderr: " + go::quote(o->err));
	json::ParseOutcome doc = json::parse(o->out);
	if (doc.error)
		return unexpected("parsing luks metadata: " + doc.error->message);
	if (const json::Value *cfg = doc.value->find("config"))
		if (const json::Value *flags = cfg->find("flags"))
			for (const json::Value &f : flags->items)
				if (f.kind == json::Kind::String && f.text == "allow-discards")
					return true;
	return false;
}

bool equalLower(std::string a, std::string b)
{
	auto lower = [](std::string &s) {
		for (char &c : s)
			if (c >= 'A' && c <= 'Z')
				c = static_cast<char>(c - 'A' + 'a');
	};
	lower(a);
	lower(b);
	return a == b;
}

// The device-mapper name of each device holding dev (an open LUKS volume
// holds its backing device).
std::vector<std::string> mapperHolders(const std::string &alias)
{
	std::vector<std::string> names;
	Result<std::string> k = system::kernelName(alias);
	if (!k)
		return names;
	const std::string dir = "/sys/class/block/" + *k + "/holders";
	DIR *d = opendir(dir.c_str());
	if (!d)
		return names;
	while (struct dirent *e = readdir(d)) {
		std::string h = e->d_name;
		if (h == "." || h == "..")
			continue;
		std::ifstream in("/sys/class/block/" + h + "/dm/name");
		std::string name;
		if (std::getline(in, name))
			names.push_back(name);
	}
	closedir(d);
	return names;
}

// --- the plan ------------------------------------------------------------------

struct VolumePlan {
	const Luks *luks = nullptr;
	std::string alias;
	std::string node;
	KeyFile key;
	bool generatedKey = false;
	bool reuse = false;
	bool alreadyOpen = false;
	system::FilesystemProbe found; // what was on the device
};

std::string showDevice(const std::string &configPath, const std::string &node)
{
	return node.empty() || node == configPath ? configPath : configPath + " (" + node + ")";
}

std::string resolvePath(const std::string &p)
{
	char buf[PATH_MAX];
	return realpath(p.c_str(), buf) ? std::string(buf) : p;
}

// The key: fetched from keyFile (with its verification and compression) or
// generated; written to a private temporary file.
Result<std::string> obtainKey(const Luks &luks, const DisksContext &ctx, bool &generated)
{
	generated = !luks.keyFile.source || luks.keyFile.source->empty();
	if (generated)
		return randomHexKey();
	if (!ctx.fetcher)
		return unexpected("failed to create keyfile: no fetcher to fetch " +
				  fetch::redactUrl(*luks.keyFile.source));
	std::string key;
	auto fetchKey = [&]() -> Result<void> {
		fetch::StringSink sink;
		Result<void> f = ctx.fetcher->fetch(fetch::requestFor(luks.keyFile, &sink));
		if (!f)
			return f;
		key = std::move(sink.data());
		return {};
	};
	Result<void> r = log::logOperation("fetching keyfile for " + go::quote(luks.name) + " from " +
						   go::quote(fetch::redactUrl(*luks.keyFile.source)),
					   fetchKey);
	if (!r)
		return unexpected(r.error().withContext("failed to create keyfile for " + go::quote(luks.name)));
	return key;
}

// Why an existing LUKS2 volume cannot be reused as configured, or empty.
Result<std::string> reuseProblem(const Luks &luks, const VolumePlan &plan)
{
	if (clevisPresent(luks.clevis))
		return std::string("config must not specify clevis binding (a clevis binding cannot be compared "
				   "with the header)");
	if (plan.generatedKey)
		return std::string("config must specify keyfile (a generated key cannot open an existing volume)");
	if (luks.label && plan.found.label != *luks.label)
		return "volume label " + go::quote(plan.found.label) + " doesn't match expected label " +
		       go::quote(*luks.label);
	if (luks.uuid && !equalLower(plan.found.uuid, *luks.uuid))
		return "volume UUID " + go::quote(plan.found.uuid) + " doesn't match expected UUID " +
		       go::quote(*luks.uuid);
	Result<bool> discard = hasDiscardFlag(plan.alias);
	if (!discard)
		return unexpected(discard.error());
	if (*discard != luks.discard.value_or(false))
		return std::string("volume allow-discards flag ") + (*discard ? "true" : "false") +
		       " doesn't match expected value " + (luks.discard.value_or(false) ? "true" : "false");
	Result<bool> opens = succeeds({ distro::kCryptsetupCmd, "luksOpen", "--test-passphrase", plan.alias,
					"--key-file", plan.key.path() },
				      "checking the keyfile of " + go::quote(luks.name) + " against " +
					      go::quote(*luks.device));
	if (!opens)
		return unexpected(opens.error());
	if (!*opens)
		return std::string("failed to open device using specified keyfile");
	return std::string();
}

Result<VolumePlan> planVolume(const Luks &luks, Devices &devices)
{
	VolumePlan plan;
	plan.luks = &luks;
	plan.alias = devices.alias(*luks.device);
	plan.node = resolvePath(plan.alias);
	const std::string where = showDevice(*luks.device, plan.node);

	Result<std::string> key = obtainKey(luks, devices.context(), plan.generatedKey);
	if (!key)
		return unexpected(key.error());
	Result<KeyFile> file = KeyFile::write(devices.context().tempDir, *key);
	if (!file)
		return unexpected(file.error());
	plan.key = std::move(*file);
	// Ignition stores the key before it decides anything, so a reused
	// volume's key is written to /etc/luks too.
	if (std::map<std::string, std::string> *persist = devices.context().luksPersistKeyFiles)
		(*persist)[luks.name] = encodeDataUrl(*key);

	Result<system::FilesystemProbe> found = system::probeFilesystem(plan.alias);
	if (!found)
		return unexpected(found.error().withContext("determining volume type of " + go::quote(*luks.device)));
	plan.found = *found;

	if (!luks.wipeVolume.value_or(false)) {
		Result<bool> luks2 = succeeds({ distro::kCryptsetupCmd, "isLuks", plan.alias, "--type", "luks2" },
					      "checking if " + *luks.device + " is a luks2 device");
		if (!luks2)
			return unexpected(luks2.error());
		if (*luks2) {
			Result<std::string> problem = reuseProblem(luks, plan);
			if (!problem)
				return unexpected(problem.error());
			if (!problem->empty())
				return unexpected(std::string(kErrBadVolume) + ": the LUKS2 volume on " + where +
						  " cannot be reused: " + *problem +
						  "; nothing was changed. Set wipeVolume: true to replace it (its data "
						  "will be lost), or make the config match it");
			plan.reuse = true;
			for (const std::string &h : mapperHolders(plan.alias))
				plan.alreadyOpen = plan.alreadyOpen || h == luks.name;
			return plan;
		}
		Result<bool> luks1 = succeeds({ distro::kCryptsetupCmd, "isLuks", plan.alias },
					      "checking if " + *luks.device + " is a luks device");
		if (!luks1)
			return unexpected(luks1.error());
		if (*luks1)
			return unexpected(*luks.device + " is a luks device but not luks2; Ignition cannot reuse it (" +
					  where + " holds a LUKS1 volume); nothing was changed. Set wipeVolume: true "
					  "to replace it (its data will be lost)");
		LOG(Disks, Info) << "found " << plan.found.type << " at " << go::quote(*luks.device) << " with uuid "
				 << go::quote(plan.found.uuid) << " and label " << go::quote(plan.found.label);
		if (!plan.found.type.empty())
			return unexpected(std::string(kErrBadVolume) + ": " + where + " holds " + plan.found.type +
					  (plan.found.label.empty() ? "" : " label=" + go::quote(plan.found.label)) +
					  ", not a LUKS2 volume, and wipeVolume is not set; nothing was changed. Set "
					  "wipeVolume: true to replace it (its data will be lost)");
	}

	Result<std::optional<std::string>> busy = system::deviceInUse(plan.alias, true);
	if (!busy)
		return unexpected(busy.error().withContext("checking whether " + where + " is in use"));
	if (*busy)
		return unexpected("refusing to format " + where + " as LUKS volume " + go::quote(luks.name) + ": " +
				  **busy + "; nothing was changed. Unmount or stop using it first");
	return plan;
}

Result<void> waitForUdev(const std::string &node)
{
	Result<void> r =
		runLogged({ distro::kUdevadmCmd, "trigger", "--settle", node }, "waiting for triggered uevent");
	if (!r)
		return unexpected(r.error().withContext("udevadm trigger failed"));
	return {};
}

Result<void> bindClevis(const VolumePlan &plan, const DisksContext &ctx)
{
	const Luks &luks = *plan.luks;
	const config::Clevis &c = luks.clevis;
	Result<std::pair<std::string, std::string>> pin = clevisPinConfig(c);
	if (!pin)
		return unexpected(pin.error());

	// Fetch each tang server's advertisement first: the network may still
	// be coming up, and the fetcher retries where clevis would not.
	std::size_t withoutAdvertisement = 0;
	for (const config::Tang &t : c.tang) {
		if (t.advertisement && !t.advertisement->empty())
			continue;
		withoutAdvertisement++;
		if (!ctx.fetcher)
			return unexpected("fetching tang advertisement: no fetcher");
		fetch::Request req;
		req.url = advertisementUrl(t.url);
		if (Result<std::string> adv = ctx.fetcher->fetchToString(req); !adv)
			return unexpected(adv.error().withContext("fetching tang advertisement"));
	}

	if (Result<void> r = runLogged({ distro::kClevisCmd, "luks", "bind", "-f", "-k", plan.key.path(), "-d",
					 plan.alias, pin->first, pin->second },
				       "Clevis bind");
	    !r)
		return unexpected(r.error().withContext("binding clevis device"));

	// Close and unlock again to prove the binding works, when enough pins
	// can unlock without the network.
	const std::size_t tpm = c.tpm2.value_or(false) ? 1 : 0;
	const std::size_t threshold = static_cast<std::size_t>(c.threshold.value_or(1));
	if (withoutAdvertisement + tpm >= threshold) {
		if (Result<void> r = runLogged({ distro::kCryptsetupCmd, "luksClose", luks.name },
					       "closing clevis luks device " + luks.name);
		    !r)
			return unexpected(r.error().withContext("closing luks device"));
		Result<void> r = runLogged({ distro::kClevisCmd, "luks", "unlock", "-d", plan.alias, "-n", luks.name },
					   "reopening clevis luks device " + luks.name);
		if (!r)
			return unexpected(r.error().withContext("reopening luks device " + luks.name));
	}
	return {};
}

Result<void> applyVolume(const VolumePlan &plan, const DisksContext &ctx)
{
	const Luks &luks = *plan.luks;
	const std::string where = showDevice(*luks.device, plan.node);
	if (plan.reuse) {
		if (plan.alreadyOpen) {
			LOG(Disks, Info) << "reused LUKS2 volume " << go::quote(luks.name) << " on " << where
					 << ", already open as /dev/mapper/" << luks.name;
			return {};
		}
		if (Result<void> r = runLogged(luksOpenArgv(luks, plan.alias, plan.key.path()),
					       "opening luks device " + luks.name);
		    !r)
			return unexpected(r.error().withContext("opening luks device"));
		LOG(Disks, Info) << "volume at " << go::quote(*luks.device)
				 << " is already correctly formatted. Skipping...";
		LOG(Disks, Info) << "reused LUKS2 volume " << go::quote(luks.name) << " on " << where
				 << ", opened as /dev/mapper/" << luks.name;
		return {};
	}

	if (luks.wipeVolume.value_or(false)) {
		if (Result<void> r = runLogged({ distro::kWipefsCmd, "-a", plan.alias },
					       "wiping filesystem signatures from " + go::quote(plan.alias));
		    !r)
			return unexpected(r.error().withContext("wipefs failed"));
	}
	const std::string &key = plan.key.path();
	if (Result<void> r = runLogged(luksFormatArgv(luks, plan.alias, key), "creating " + go::quote(luks.name)); !r)
		return unexpected(r.error().withContext("cryptsetup failed"));
	if (Result<void> r = runLogged(luksOpenArgv(luks, plan.alias, key), "opening luks device " + luks.name); !r)
		return unexpected(r.error().withContext("opening luks device"));

	if (clevisPresent(luks.clevis)) {
		if (Result<void> r = bindClevis(plan, ctx); !r)
			return r;
		if (plan.generatedKey) {
			// The user never sees a generated key: with clevis it is
			// only a liability.
			Result<void> r = runLogged({ distro::kCryptsetupCmd, "luksRemoveKey", plan.alias, key },
						   "removing key file for " + luks.name);
			if (!r)
				return unexpected(r.error().withContext("removing key file from luks device"));
			if (ctx.luksPersistKeyFiles)
				ctx.luksPersistKeyFiles->erase(luks.name);
		}
	}

	if (system::udevRunning()) {
		if (Result<void> r = waitForUdev(plan.node); !r)
			return unexpected(r.error().withContext("failed to wait for udev on " + go::quote(plan.alias) +
								" after LUKS"));
	}
	std::string wiped;
	if (!plan.found.type.empty())
		wiped = " (wiped " + plan.found.type +
			(plan.found.label.empty() ? std::string() : " label=" + go::quote(plan.found.label)) + ")";
	LOG(Disks, Info) << "created LUKS2 volume " << go::quote(luks.name) << " on " << where
			 << ", opened as /dev/mapper/" << luks.name
			 << (plan.generatedKey ? " (generated key)" : " (key from keyFile)") << wiped;
	return {};
}

} // namespace

Result<void> createLuks(const config::Config &cfg, Devices &devices)
{
	const std::vector<Luks> &volumes = cfg.storage.luks;
	if (volumes.empty())
		return {};
	log::PrefixScope prefix("createLuks");

	std::vector<std::string> paths;
	for (const Luks &l : volumes)
		paths.push_back(l.device.value_or(""));
	if (Result<void> r = devices.prepare(paths, "luks"); !r)
		return r;

	// What cannot work here fails before any key is fetched or any
	// device touched.
	if (!system::execCapture({ distro::kCryptsetupCmd, "--version" }))
		return unexpected(std::string("cannot create LUKS volumes: ") + go::quote(distro::kCryptsetupCmd) +
				  " is not installed (not found in $PATH); nothing was changed");
	bool clevisChecked = false;
	for (const Luks &l : volumes) {
		if (l.cex.enabled.value_or(false))
			return unexpected("LUKS volume " + go::quote(l.name) +
					  ": cex (IBM Z Crypto Express secure keys) is not supported by Flint; nothing "
					  "was changed");
		if (clevisPresent(l.clevis) && !clevisChecked) {
			if (!system::execCapture({ distro::kClevisCmd }))
				return unexpected("LUKS volume " + go::quote(l.name) + " uses clevis, but " +
						  go::quote(distro::kClevisCmd) +
						  " is not in this initramfs (not found in $PATH); nothing was "
						  "changed. Build the initramfs with clevis, or use a keyFile instead");
			clevisChecked = true;
		}
	}

	if (devices.context().luksPersistKeyFiles)
		devices.context().luksPersistKeyFiles->clear();

	// Keys, probes and reuse checks for every volume first: a fetch that
	// fails or a volume that cannot be reused stops the step before any
	// device is formatted.
	std::vector<VolumePlan> plans;
	for (const Luks &l : volumes) {
		Result<VolumePlan> p = planVolume(l, devices);
		if (!p)
			return unexpected(p.error());
		plans.push_back(std::move(*p));
	}
	for (const VolumePlan &plan : plans)
		if (Result<void> r = applyVolume(plan, devices.context()); !r)
			return r;
	return {};
}

} // namespace flint::stages::disks

// The failure summary: the few lines every console shows when a stage stops the boot.
#include "engine/failure_summary.h"

#include <cstdlib>
#include <vector>

#include "engine/fsutil.h"
#include "flint/fetch/fetcher.h"

namespace flint::engine {

namespace {

constexpr const char *kDefaultPath = "/run/flint/failure-summary";
constexpr const char *kInitrdRelease = "/etc/initrd-release";
// Continuation lines line up under the values ("  error:     ").
constexpr const char *kIndent = "             ";

bool isSchemeChar(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '+' ||
	       c == '-' || c == '.';
}

bool isAlpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// Where a URL ends: blanks and the quotes and brackets that surround URLs
// in messages.
bool endsUrl(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '"' || c == '\'' || c == '<' || c == '>' ||
	       c == '`';
}

// Where the URL starting at `start` ends; a URL in parentheses ends at the
// closing one.
std::size_t urlEnd(std::string_view text, std::size_t start)
{
	const bool paren = start > 0 && text[start - 1] == '(';
	std::size_t end = start;
	while (end < text.size() && !endsUrl(text[end]) && !(paren && text[end] == ')'))
		end++;
	return end;
}

// Control characters (escape sequences from a tool's output) would act on
// the console: shown as '?', tabs as a blank.
std::string sanitize(std::string_view line)
{
	std::string out;
	out.reserve(line.size());
	for (char c : line) {
		unsigned char u = static_cast<unsigned char>(c);
		if (c == '\t')
			out += ' ';
		else if (u < 0x20 || u == 0x7f)
			out += '?';
		else
			out += c;
	}
	return out;
}

// Splits `line` into pieces of at most `width` characters, at a blank where
// one is in the second half of the piece.
void wrapInto(std::string_view line, std::size_t width, std::vector<std::string> &out)
{
	if (width == 0)
		width = 1;
	while (line.size() > width) {
		std::size_t cut = line.rfind(' ', width);
		std::size_t next;
		if (cut == std::string_view::npos || cut < width / 2) {
			cut = width;
			next = width;
		} else {
			next = cut + 1;
		}
		out.emplace_back(line.substr(0, cut));
		line.remove_prefix(next);
	}
	out.emplace_back(line);
}

std::string unitOf(std::string_view stage)
{
	// The umount stage is ignition-mount.service's ExecStop.
	if (stage == "umount")
		return "ignition-mount.service";
	return "ignition-" + std::string(stage) + ".service";
}

// Single quotes for a shell command line the user may copy.
std::string shellQuote(std::string_view s)
{
	std::string out = "'";
	for (char c : s) {
		if (c == '\'')
			out += "'\\''";
		else
			out += c;
	}
	return out + "'";
}

} // namespace

std::string summaryHeadline(std::string_view stage)
{
	return "Flint: provisioning failed in the " + std::string(stage) + " stage";
}

std::string redactUrlsIn(std::string_view text)
{
	std::string out;
	out.reserve(text.size());
	std::size_t i = 0;
	while (i < text.size()) {
		// A data: URL at the start of a word (not "data: " in prose).
		bool wordStart = i == 0 || endsUrl(text[i - 1]) || text[i - 1] == '(';
		if (wordStart && text.substr(i).starts_with("data:") && i + 5 < text.size() && !endsUrl(text[i + 5])) {
			std::size_t end = urlEnd(text, i);
			out += fetch::redactUrl(text.substr(i, end - i));
			i = end;
			continue;
		}
		if (text.substr(i).starts_with("://")) {
			// Back up over the scheme already copied.
			std::size_t start = i;
			while (start > 0 && isSchemeChar(text[start - 1]))
				start--;
			while (start < i && !isAlpha(text[start]))
				start++;
			if (start < i) {
				std::size_t end = urlEnd(text, start);
				out.resize(out.size() - (i - start));
				out += fetch::redactUrl(text.substr(start, end - start));
				i = end;
				continue;
			}
		}
		out += text[i];
		i++;
	}
	return out;
}

std::string formatFailureSummary(const Failure &f, const SummaryLimits &limits)
{
	std::string s = summaryHeadline(f.stage) + "\n";
	auto field = [&](std::string_view name, std::string_view value) {
		std::string label = "  " + std::string(name) + ":";
		label.resize(std::string_view(kIndent).size(), ' ');
		s += label + std::string(value) + "\n";
	};
	auto more = [&](std::string_view value) { s += kIndent + std::string(value) + "\n"; };

	if (!f.operation.empty())
		field("operation", sanitize(redactUrlsIn(f.operation)));

	std::vector<std::string> lines;
	std::string_view err = f.error;
	std::string redacted = redactUrlsIn(err.empty() ? std::string_view("(no error message)") : err);
	std::string_view rest = redacted;
	while (!rest.empty() && (rest.back() == '\n' || rest.back() == '\r'))
		rest.remove_suffix(1);
	while (true) {
		std::size_t nl = rest.find('\n');
		wrapInto(sanitize(rest.substr(0, nl)), limits.width, lines);
		if (nl == std::string_view::npos)
			break;
		rest.remove_prefix(nl + 1);
	}
	std::size_t shown = lines.size();
	if (limits.maxErrorLines > 0 && shown > limits.maxErrorLines)
		shown = limits.maxErrorLines;
	for (std::size_t i = 0; i < shown; i++) {
		if (i == 0)
			field("error", lines[i]);
		else
			more(lines[i]);
	}
	if (shown < lines.size())
		more("... " + std::to_string(lines.size() - shown) + " more line" +
		     (lines.size() - shown == 1 ? "" : "s") + " cut; the journal has the whole error");

	std::string url = f.configUrl.empty() ? std::string() : fetch::redactUrl(f.configUrl);
	if (!url.empty())
		field("config", sanitize(url) + " (ignition.config.url)");
	else if (!f.configPath.empty())
		field("config", sanitize(f.configPath));
	if (!f.configCache.empty())
		field(url.empty() && f.configPath.empty() ? "config" : "cached", sanitize(f.configCache));

	field("next", "journalctl -b -t ignition  (the whole log)");
	more("journalctl -b -u " + unitOf(f.stage));
	if (!f.configCache.empty()) {
		more("flint validate " + sanitize(f.configCache));
	} else if (!url.empty()) {
		std::string cmd = "flint fetch " + shellQuote(sanitize(url)) + " | flint validate -";
		if (url != f.configUrl)
			cmd += "  (with the real URL)";
		more(cmd);
	} else if (f.configPath.starts_with('/') && f.configPath.find(' ') == std::string::npos) {
		// A file here (user.ign), not a description such as "the qemu
		// platform's config".
		more("flint validate " + sanitize(f.configPath));
	}
	more("see docs/debugging.md: rd.shell, flint.break=pre-" + f.stage);
	s += "  The boot stopped before switching to the real root.\n";
	return s;
}

std::optional<std::string> failureSummaryPath()
{
	if (const char *v = std::getenv("FLINT_FAILURE_SUMMARY")) {
		if (*v == '\0')
			return std::nullopt;
		return std::string(v);
	}
	if (pathExists(kInitrdRelease))
		return std::string(kDefaultPath);
	return std::nullopt;
}

Result<void> writeFailureSummary(const std::string &path, std::string_view text)
{
	return writeFileAtomic(path, text, 0644);
}

} // namespace flint::engine

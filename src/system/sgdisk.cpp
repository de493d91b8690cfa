// sgdisk: the options Ignition passes, the --pretend run that reports geometry and the one commit.
#include "flint/system/sgdisk.h"

#include <sys/wait.h>

#include <charconv>

#include "flint/base/go.h"
#include "flint/base/log.h"
#include "flint/system/distro.h"
#include "flint/system/exec.h"

FLINT_LOG_DECLARE_CATEGORY(Sgdisk)
FLINT_LOG_DEFINE_CATEGORY(Sgdisk, "sgdisk")

namespace flint::system {

namespace {

// "First sector: 2048 (at 1024.0 KiB)" -> 2048 when the line starts with
// `key` and ends with a parenthesised note, as Ignition's
// ^First sector: (\d*) \(.*\)$; nullopt when it is another line. An empty
// or oversized number is an error (Ignition's ParseInt failing).
Result<std::optional<std::uint64_t>> sectorLine(std::string_view line, std::string_view key)
{
	if (line.substr(0, key.size()) != key)
		return std::optional<std::uint64_t>();
	std::string_view rest = line.substr(key.size());
	std::size_t digits = 0;
	while (digits < rest.size() && rest[digits] >= '0' && rest[digits] <= '9')
		digits++;
	std::string_view tail = rest.substr(digits);
	if (tail.size() < 3 || tail.substr(0, 2) != " (" || tail.back() != ')')
		return std::optional<std::uint64_t>();
	std::uint64_t v = 0;
	auto [end, ec] = std::from_chars(rest.data(), rest.data() + digits, v);
	if (digits == 0 || ec != std::errc() || end != rest.data() + digits)
		return unexpected("sgdisk had unexpected output: cannot read the sector number in " + go::quote(line));
	return std::optional<std::uint64_t>(v);
}

// The options of a command as Ignition logs them (Go's %v of a []string,
// the program left out): [--pretend --new=1:0:+0 /dev/vdb].
std::string options(const std::vector<std::string> &argv)
{
	std::string s = "[";
	for (std::size_t i = 1; i < argv.size(); i++)
		s += (i > 1 ? " " : "") + argv[i];
	return s + "]";
}

// The failure text of Ignition's LogCmd (as runTool), from a finished run.
Error toolError(const std::vector<std::string> &argv, const ExecOutput &o)
{
	return Error(exitStatusText(o.status) + ": Cmd: " + quotedCommand(argv) + " Stdout: " + go::quote(o.out) +
		     " Stderr: " + go::quote(o.err));
}

bool exitedWith(const ExecOutput &o, int code)
{
	return WIFEXITED(o.status) && WEXITSTATUS(o.status) == code;
}

} // namespace

Result<std::map<int, SgdiskGeometry>> parseSgdiskInfo(std::string_view out, const std::vector<int> &numbers)
{
	std::map<int, SgdiskGeometry> result;
	if (numbers.empty())
		return result;
	// sgdisk prints one block per --info=N, in the order asked; each has a
	// "First sector:" line and then a "Last sector:" line. More blocks than
	// asked for, or a block cut short, means the output is not what was
	// expected (an unknown partition prints "Partition #N does not exist.").
	enum class State { Start, End, Done } state = State::Start;
	SgdiskGeometry current;
	std::size_t i = 0;
	while (true) {
		std::size_t nl = out.find('\n');
		std::string_view line = out.substr(0, nl);
		Result<std::optional<std::uint64_t>> first = sectorLine(line, "First sector: ");
		Result<std::optional<std::uint64_t>> last = sectorLine(line, "Last sector: ");
		switch (state) {
		case State::Start:
			if (!first)
				return unexpected(first.error());
			if (*first) {
				current = SgdiskGeometry{ **first, 0 };
				state = State::End;
			}
			break;
		case State::End:
			if (!last)
				return unexpected(last.error());
			if (*last) {
				if (**last < current.start)
					return unexpected("sgdisk had unexpected output: partition " + std::to_string(numbers[i]) +
							  " ends (sector " + std::to_string(**last) + ") before it starts (sector " +
							  std::to_string(current.start) + ")");
				current.end = **last;
				result[numbers[i]] = current;
				state = ++i == numbers.size() ? State::Done : State::Start;
			}
			break;
		case State::Done:
			if (!first || !last || *first || *last)
				return unexpected("sgdisk had unexpected output: more partition geometry than the " +
						  std::to_string(numbers.size()) + " partitions asked for");
			break;
		}
		if (nl == std::string_view::npos)
			break;
		out.remove_prefix(nl + 1);
	}
	if (state != State::Done)
		return unexpected("sgdisk had unexpected output: no first and last sector for partition " +
				  std::to_string(numbers[i]));
	return result;
}

std::vector<std::string> SgdiskOperation::argv(bool pretend) const
{
	std::vector<std::string> opts;
	// --zap-all does nothing under --pretend (what follows it still sees
	// the old table), so a pretend of a wiped disk clears the table in
	// memory instead: the blank GPT the zap leaves behind. --mbrtogpt
	// keeps sgdisk from failing on an MBR disk ("Non-GPT disk; not saving
	// changes"); --pretend saves nothing either way.
	if (wipe_ && pretend) {
		opts.push_back("--mbrtogpt");
		opts.push_back("--clear");
	} else if (wipe_) {
		opts.push_back("--zap-all");
	}
	for (int n : deletes_)
		opts.push_back("--delete=" + std::to_string(n));
	for (const SgdiskPartition &p : creates_) {
		const std::string n = std::to_string(p.number);
		opts.push_back("--new=" + n + ":" + std::to_string(p.start) + ":+" + std::to_string(p.size));
		if (p.label)
			opts.push_back("--change-name=" + n + ":" + *p.label);
		if (p.typeGuid && !p.typeGuid->empty())
			opts.push_back("--typecode=" + n + ":" + *p.typeGuid);
		if (p.guid && !p.guid->empty())
			opts.push_back("--partition-guid=" + n + ":" + *p.guid);
	}
	for (int n : infos_)
		opts.push_back("--info=" + std::to_string(n));

	std::vector<std::string> argv{ distro::kSgdiskCmd };
	if (pretend)
		argv.push_back("--pretend");
	if (opts.empty())
		return argv;
	argv.insert(argv.end(), opts.begin(), opts.end());
	argv.push_back(device_);
	return argv;
}

Result<std::map<int, SgdiskGeometry>> SgdiskOperation::pretend() const
{
	if (empty() && infos_.empty())
		return std::map<int, SgdiskGeometry>();
	const std::vector<std::string> cmd = argv(true);
	LOG(Sgdisk, Info) << "running sgdisk with options: " << options(cmd);
	LOG(Sgdisk, Debug) << "executing: " << quotedCommand(cmd);
	Result<ExecOutput> o = execCapture(cmd);
	if (!o)
		return unexpected(o.error().withContext("Failed to pretend to create partitions on " + go::quote(device_)));
	if (!exitedWith(*o, 0))
		return unexpected(toolError(cmd, *o).withContext("Failed to pretend to create partitions on " +
								 go::quote(device_)));
	Result<std::map<int, SgdiskGeometry>> geometry = parseSgdiskInfo(o->out, infos_);
	if (!geometry)
		return unexpected(geometry.error().withContext("reading the output of " + quotedCommand(cmd)));
	return geometry;
}

Result<void> SgdiskOperation::commit() const
{
	if (empty())
		return {};
	const std::vector<std::string> cmd = argv(false);
	LOG(Sgdisk, Info) << "running sgdisk with options: " << options(cmd);
	const std::string what = "deleting " + std::to_string(deletes_.size()) + " partitions and creating " +
				 std::to_string(creates_.size()) + " partitions on " + go::quote(device_);
	// sgdisk --zap-all exits 2 when the table it wiped was corrupt, though
	// the wipe itself went through; a second run finds a clean disk (as
	// Ignition HEAD, https://github.com/coreos/fedora-coreos-tracker/issues/1596).
	const int attempts = wipe_ ? 2 : 1;
	for (int attempt = 1;; attempt++) {
		bool retry = false;
		Result<void> r = log::logOperation(what, [&]() -> Result<void> {
			LOG(Sgdisk, Debug) << "executing: " << quotedCommand(cmd);
			Result<ExecOutput> o = execCapture(cmd);
			if (!o)
				return unexpected(Error(o.error().message() + ": Cmd: " + quotedCommand(cmd) +
							" Stdout: \"\" Stderr: \"\"", o.error().errnum()));
			if (exitedWith(*o, 0))
				return {};
			retry = attempt < attempts && exitedWith(*o, 2);
			return unexpected(toolError(cmd, *o));
		});
		if (r)
			return {};
		if (!retry)
			return unexpected(r.error().withContext("create partitions failed"));
		LOG(Sgdisk, Info) << "potential error encountered while wiping table... retrying";
	}
}

} // namespace flint::system

// Running an external tool with its output captured, for the system layer's shadow-utils and mkfs calls.
#include "flint/system/exec.h"

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstring>

#include "flint/base/go.h"
#include "flint/base/unique_fd.h"

extern char **environ;

namespace flint::system {

namespace {


// Owns posix_spawn_file_actions_t so every return path destroys it.
class SpawnActions final
{
public:
	SpawnActions() { posix_spawn_file_actions_init(&actions_); }
	~SpawnActions() { posix_spawn_file_actions_destroy(&actions_); }
	SpawnActions(const SpawnActions &) = delete;
	SpawnActions &operator=(const SpawnActions &) = delete;
	posix_spawn_file_actions_t *get() { return &actions_; }

private:
	posix_spawn_file_actions_t actions_;
};

} // namespace

std::string quotedCommand(const std::vector<std::string> &argv)
{
	std::string out;
	bool secret = false;
	for (const std::string &a : argv) {
		if (!out.empty())
			out += ' ';
		// A password hash is a secret (crackable offline): never in a
		// log line or an error. Ignition prints it.
		out += secret ? std::string("\"<redacted>\"") : go::quote(a);
		secret = a == "--password";
	}
	return out;
}

Result<ExecOutput> execCapture(const std::vector<std::string> &argv, std::string_view input)
{
	if (argv.empty())
		return unexpected(Error("exec: no command", EINVAL));

	// stdin: /dev/null, or a pipe fed from `input` while the outputs drain.
	int inPipe[2] = { -1, -1 };
	if (!input.empty() && pipe2(inPipe, O_CLOEXEC) < 0)
		return unexpected(errnoError("pipe"));
	UniqueFd inRead(inPipe[0]), inWrite(inPipe[1]);

	int outPipe[2], errPipe[2];
	if (pipe2(outPipe, O_CLOEXEC) < 0)
		return unexpected(errnoError("pipe"));
	UniqueFd outRead(outPipe[0]), outWrite(outPipe[1]);
	if (pipe2(errPipe, O_CLOEXEC) < 0)
		return unexpected(errnoError("pipe"));
	UniqueFd errRead(errPipe[0]), errWrite(errPipe[1]);

	// adddup2 clears O_CLOEXEC on the copies, so only 0-2 survive the exec.
	SpawnActions actions;
	if (inRead.isValid())
		posix_spawn_file_actions_adddup2(actions.get(), inRead.get(), 0);
	else
		posix_spawn_file_actions_addopen(actions.get(), 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(actions.get(), outWrite.get(), 1);
	posix_spawn_file_actions_adddup2(actions.get(), errWrite.get(), 2);

	std::vector<char *> args;
	for (const std::string &a : argv)
		args.push_back(const_cast<char *>(a.c_str()));
	args.push_back(nullptr);

	pid_t pid;
	int r = posix_spawnp(&pid, args[0], actions.get(), nullptr, args.data(), environ);
	// Go's exec.Command reports a missing program this way.
	if (r == ENOENT)
		return unexpected(Error("exec: " + go::quote(argv[0]) + ": executable file not found in $PATH", r));
	if (r != 0)
		return unexpected(Error("fork/exec " + argv[0] + ": " + std::strerror(r), r));
	outWrite.reset();
	errWrite.reset();
	inRead.reset();
	if (inWrite.isValid())
		fcntl(inWrite.get(), F_SETFL, O_NONBLOCK);

	// Both output pipes are drained (and stdin fed) together so a chatty
	// tool cannot block on a full stderr while we wait on stdout.
	ExecOutput o;
	std::array<pollfd, 3> fds{ { { outRead.get(), POLLIN, 0 },
				     { errRead.get(), POLLIN, 0 },
				     { inWrite.get(), POLLOUT, 0 } } };
	int open = 2;
	std::size_t fed = 0;
	char buf[4096];
	while (open > 0 || fds[2].fd >= 0) {
		if (poll(fds.data(), fds.size(), -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (fds[2].fd >= 0 && fds[2].revents) {
			ssize_t n = (fds[2].revents & POLLOUT) ? write(fds[2].fd, input.data() + fed, input.size() - fed) : -1;
			if (n > 0)
				fed += static_cast<std::size_t>(n);
			// Done, or the tool closed its stdin (EPIPE): stop feeding.
			if (fed == input.size() || (n < 0 && errno != EINTR && errno != EAGAIN)) {
				inWrite.reset();
				fds[2].fd = -1;
			}
		}
		for (std::size_t i = 0; i < 2; i++) {
			if (fds[i].fd < 0 || !fds[i].revents)
				continue;
			ssize_t n = read(fds[i].fd, buf, sizeof(buf));
			if (n > 0) {
				(i == 0 ? o.out : o.err).append(buf, static_cast<std::size_t>(n));
			} else if (n == 0 || errno != EINTR) {
				fds[i].fd = -1;
				open--;
			}
		}
	}

	while (waitpid(pid, &o.status, 0) < 0) {
		if (errno != EINTR)
			return unexpected(errnoError("waitpid"));
	}
	return o;
}

std::string exitStatusText(int status)
{
	if (WIFEXITED(status))
		return "exit status " + std::to_string(WEXITSTATUS(status));
	return "signal: " + std::string(strsignal(WTERMSIG(status)));
}

Result<void> runTool(const std::vector<std::string> &argv, std::string_view input)
{
	std::string cmd = quotedCommand(argv);
	Result<ExecOutput> o = execCapture(argv, input);
	if (!o)
		return unexpected(Error(o.error().message() + ": Cmd: " + cmd + " Stdout: \"\" Stderr: \"\"",
					o.error().errnum()));
	if (WIFEXITED(o->status) && WEXITSTATUS(o->status) == 0)
		return {};
	return unexpected(exitStatusText(o->status) + ": Cmd: " + cmd + " Stdout: " + go::quote(o->out) + " Stderr: " +
			  go::quote(o->err));
}

} // namespace flint::system

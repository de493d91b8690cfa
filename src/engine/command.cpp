// Running an external tool as Ignition's LogCmd does: logged as an operation, output captured.
#include "engine/command.h"

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstring>

#include "engine/log_categories.h"
#include "flint/base/go.h"
#include "flint/base/log.h"

extern char **environ;

namespace flint::engine {

namespace {

// Owns a file descriptor.
class Fd final
{
public:
	explicit Fd(int fd = -1) : fd_(fd) {}
	~Fd() { reset(); }
	Fd(const Fd &) = delete;
	Fd &operator=(const Fd &) = delete;
	int get() const { return fd_; }
	void reset()
	{
		if (fd_ >= 0)
			close(fd_);
		fd_ = -1;
	}

private:
	int fd_;
};

struct Outcome {
	int status = 0;
	std::string out;
	std::string err;
};

Result<Outcome> spawnAndWait(const std::vector<std::string> &argv)
{
	int outPipe[2], errPipe[2];
	if (pipe2(outPipe, O_CLOEXEC) < 0)
		return unexpected(errnoError("pipe"));
	Fd outRead(outPipe[0]), outWrite(outPipe[1]);
	if (pipe2(errPipe, O_CLOEXEC) < 0)
		return unexpected(errnoError("pipe"));
	Fd errRead(errPipe[0]), errWrite(errPipe[1]);

	posix_spawn_file_actions_t actions;
	posix_spawn_file_actions_init(&actions);
	posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&actions, outWrite.get(), 1);
	posix_spawn_file_actions_adddup2(&actions, errWrite.get(), 2);

	std::vector<char *> args;
	for (const std::string &a : argv)
		args.push_back(const_cast<char *>(a.c_str()));
	args.push_back(nullptr);

	pid_t pid;
	int r = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
	posix_spawn_file_actions_destroy(&actions);
	if (r == ENOENT)
		return unexpected(Error("exec: " + go::quote(argv[0]) + ": executable file not found in $PATH", r));
	if (r != 0)
		return unexpected(Error("fork/exec " + argv[0] + ": " + std::strerror(r), r));
	outWrite.reset();
	errWrite.reset();

	Outcome o;
	std::array<pollfd, 2> fds{ { { outRead.get(), POLLIN, 0 }, { errRead.get(), POLLIN, 0 } } };
	int open = 2;
	char buf[4096];
	while (open > 0) {
		if (poll(fds.data(), fds.size(), -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		for (std::size_t i = 0; i < fds.size(); i++) {
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

} // namespace

std::string quotedCommand(const std::vector<std::string> &argv)
{
	std::string out;
	for (const std::string &a : argv) {
		if (!out.empty())
			out += ' ';
		out += go::quote(a);
	}
	return out;
}

Result<void> runLogged(const std::vector<std::string> &argv, std::string_view what)
{
	return log::logOperation(what, [&]() -> Result<void> {
		std::string cmd = quotedCommand(argv);
		LOG(Engine, Debug) << "executing: " << cmd;
		Result<Outcome> o = spawnAndWait(argv);
		if (!o)
			return unexpected(o.error().message() + ": Cmd: " + cmd + " Stdout: \"\" Stderr: \"\"");
		std::string status;
		if (WIFEXITED(o->status) && WEXITSTATUS(o->status) == 0)
			return {};
		if (WIFEXITED(o->status))
			status = "exit status " + std::to_string(WEXITSTATUS(o->status));
		else
			status = "signal: " + std::string(strsignal(WTERMSIG(o->status)));
		return unexpected(status + ": Cmd: " + cmd + " Stdout: " + go::quote(o->out) + " Stderr: " +
				  go::quote(o->err));
	});
}

} // namespace flint::engine

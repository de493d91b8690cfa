// go-systemd v22 unit.Deserialize ported step by step, including the bufio.Reader
// state its line-length check depends on.
#include "flint/base/unit_file.h"

#include <algorithm>
#include <optional>

#include "flint/base/go.h"

namespace flint {

namespace {

// go-systemd's SYSTEMD_LINE_MAX and bufio's default buffer size.
constexpr std::size_t kLineMax = 2048;
constexpr std::size_t kBufSize = 4096;

// utf8.FullRune.
bool fullRune(std::string_view p)
{
	if (p.empty())
		return false;
	const auto c0 = static_cast<unsigned char>(p[0]);
	std::size_t need = 1;
	unsigned char lo = 0x80, hi = 0xBF;
	if (c0 >= 0xC2 && c0 <= 0xDF) {
		need = 2;
	} else if (c0 >= 0xE0 && c0 <= 0xEF) {
		need = 3;
		if (c0 == 0xE0)
			lo = 0xA0;
		else if (c0 == 0xED)
			hi = 0x9F;
	} else if (c0 >= 0xF0 && c0 <= 0xF4) {
		need = 4;
		if (c0 == 0xF0)
			lo = 0x90;
		else if (c0 == 0xF4)
			hi = 0x8F;
	}
	if (p.size() >= need)
		return true;
	if (p.size() > 1) {
		const auto c1 = static_cast<unsigned char>(p[1]);
		if (c1 < lo || c1 > hi)
			return true;
	}
	if (p.size() > 2 && (static_cast<unsigned char>(p[2]) < 0x80 || static_cast<unsigned char>(p[2]) > 0xBF))
		return true;
	return false;
}

// A bufio.Reader (4096-byte buffer) over a strings.Reader, tracking only
// which input bytes are buffered: [r_, w_). Each fill reads as much as fits.
class BufReader final
{
public:
	explicit BufReader(std::string_view in) : in_(in) {}

	std::size_t buffered() const { return w_ - r_; }
	// Only called when buffered() >= n, as go-systemd does.
	std::string_view peek(std::size_t n) const { return in_.substr(r_, n); }

	// ReadRune; nullopt at EOF.
	std::optional<char32_t> readRune()
	{
		while (r_ + 4 > w_ && !fullRune(in_.substr(r_, w_ - r_)) && w_ < in_.size() && w_ - r_ < kBufSize)
			fill();
		lastRuneSize_ = 0;
		if (r_ == w_)
			return std::nullopt;
		go::DecodedRune d = go::decodeRune(in_.substr(0, w_), r_);
		r_ += d.width;
		lastRuneSize_ = d.width;
		return d.rune;
	}

	void unreadRune() { r_ -= lastRuneSize_; lastRuneSize_ = 0; }

	// ReadBytes(delim): the bytes up to and including delim, or to EOF
	// (found false).
	std::string_view readBytes(char delim, bool &found)
	{
		const std::size_t start = r_;
		std::size_t s = 0;
		for (;;) {
			std::string_view window = in_.substr(r_ + s, w_ - r_ - s);
			if (std::size_t i = window.find(delim); i != std::string_view::npos) {
				r_ = r_ + s + i + 1;
				found = true;
				return in_.substr(start, r_ - start);
			}
			if (w_ == in_.size()) {
				r_ = w_;
				found = false;
				return in_.substr(start, r_ - start);
			}
			if (w_ - r_ >= kBufSize) {
				// ErrBufferFull: ReadBytes keeps the fragment and goes on.
				r_ = w_;
				s = 0;
				continue;
			}
			s = w_ - r_;
			fill();
		}
	}

	// go-systemd's toEOL: a line without its '\r' or else its '\n'
	// (so "a\r\n" gives "a\r"), and whether EOF ended it.
	std::string_view toEol(bool &eof)
	{
		bool found = false;
		std::string_view line = readBytes('\n', found);
		eof = !found;
		if (!line.empty() && line.back() == '\r')
			line.remove_suffix(1);
		if (!line.empty() && line.back() == '\n')
			line.remove_suffix(1);
		return line;
	}

private:
	void fill() { w_ += std::min(kBufSize - (w_ - r_), in_.size() - w_); }

	std::string_view in_;
	std::size_t r_ = 0;
	std::size_t w_ = 0;
	std::size_t lastRuneSize_ = 0;
};

enum class State { NextSection, SectionName, SectionSuffix, IgnoreLine, NextSectionOrOption, OptionName, OptionValue, Done };

bool isComment(char32_t r)
{
	return r == '#' || r == ';';
}

std::string finishValue(const std::string &partial)
{
	if (!partial.empty() && partial.back() == '\n')
		return std::string(go::trimSpace(partial)) + "\n";
	return std::string(go::trimSpace(partial));
}

} // namespace

Result<std::vector<UnitOption>> parseUnitFile(std::string_view contents)
{
	BufReader buf(contents);
	std::vector<UnitOption> options;
	State state = State::NextSection;
	State afterIgnore = State::NextSection;
	std::string section, pendingSection, name, partial;

	while (state != State::Done) {
		if (buf.buffered() >= kLineMax) {
			std::string_view line = buf.peek(kLineMax);
			if (line.find_first_of("\r\n") == std::string_view::npos)
				return unexpected("line too long (max 2048 bytes)");
		}

		switch (state) {
		case State::NextSection: {
			auto r = buf.readRune();
			if (!r)
				state = State::Done;
			else if (*r == '[')
				state = State::SectionName;
			else if (isComment(*r)) {
				afterIgnore = State::NextSection;
				state = State::IgnoreLine;
			}
			break;
		}
		case State::SectionName: {
			bool found = false;
			std::string_view sec = buf.readBytes(']', found);
			if (!found)
				return unexpected("unable to find end of section");
			pendingSection = std::string(sec.substr(0, sec.size() - 1));
			state = State::SectionSuffix;
			break;
		}
		case State::SectionSuffix: {
			bool eof = false;
			std::string_view garbage = go::trimSpace(buf.toEol(eof));
			if (!garbage.empty())
				// go-systemd prints its lexer's section field, which is never set.
				return unexpected("found garbage after section name : " + go::quote(garbage));
			section = pendingSection;
			state = State::NextSectionOrOption;
			break;
		}
		case State::IgnoreLine:
			for (;;) {
				bool eof = false;
				std::string_view line = buf.toEol(eof);
				if (!line.empty() && line.back() == ' ')
					line.remove_suffix(1);
				if (line.empty() || line.back() != '\\')
					break;
			}
			state = afterIgnore;
			break;
		case State::NextSectionOrOption: {
			auto r = buf.readRune();
			if (!r) {
				state = State::Done;
			} else if (go::isSpace(*r)) {
			} else if (*r == '[') {
				state = State::SectionName;
			} else if (isComment(*r)) {
				afterIgnore = State::NextSectionOrOption;
				state = State::IgnoreLine;
			} else {
				buf.unreadRune();
				state = State::OptionName;
			}
			break;
		}
		case State::OptionName: {
			std::string raw;
			for (;;) {
				auto r = buf.readRune();
				if (!r)
					return unexpected("EOF");
				if (*r == '\n' || *r == '\r')
					return unexpected("unexpected newline encountered while parsing option name");
				if (*r == '=')
					break;
				go::appendRune(raw, *r);
			}
			name = std::string(go::trimSpace(raw));
			partial.clear();
			state = State::OptionValue;
			break;
		}
		case State::OptionValue: {
			bool eof = false;
			std::string_view line = buf.toEol(eof);
			if (!go::trimSpace(line).empty()) {
				partial += line;
				if (line.back() == '\\') {
					if (!eof)
						partial.push_back('\n');
					break; // the next step reads the continuation
				}
			}
			options.push_back(UnitOption{ section, name, finishValue(partial) });
			state = State::NextSectionOrOption;
			break;
		}
		case State::Done:
			break;
		}
	}
	return options;
}

} // namespace flint

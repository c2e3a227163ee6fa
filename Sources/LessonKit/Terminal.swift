// Terminal.swift — the terminal as the step runner needs it: its width, raw key reading through
// termios, and restoring it on every way out, including Ctrl-C.
//
// Raw here means: no line buffering and no echo, so one key press is one byte read; Ctrl-C
// still raises SIGINT, whose handler puts the terminal back before the process ends.
// Read next: LessonRunner.swift.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Terminal settings saved before raw mode, for the SIGINT handler (which can capture nothing).
nonisolated(unsafe) private var savedSettings = termios()
nonisolated(unsafe) private var rawModeOn = false

/// A key the runner understands.
public enum Key: Equatable, Sendable {
    case next, back, rerun, quit, help, other
}

public enum Terminal {
    /// True when both stdin and stdout are terminals.
    public static var isInteractive: Bool { isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1 }

    /// The window's width in columns: the terminal's own size, else `$COLUMNS`, else 80.
    public static func width() -> Int {
        var size = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        if let columns = getenv("COLUMNS").flatMap({ Int(String(cString: $0)) }), columns > 0 { return columns }
        return 80
    }

    /// The window's height in rows: the terminal's own size, else `$LINES`, else 24.
    public static func height() -> Int {
        var size = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_row > 0 { return Int(size.ws_row) }
        if let lines = getenv("LINES").flatMap({ Int(String(cString: $0)) }), lines > 0 { return lines }
        return 24
    }

    /// Switches stdin to raw mode and installs a SIGINT handler that restores it. Call `leaveRawMode`
    /// on every normal way out.
    public static func enterRawMode() {
        guard !rawModeOn, tcgetattr(STDIN_FILENO, &savedSettings) == 0 else { return }
        var raw = savedSettings
        raw.c_lflag &= ~tcflag_t(ICANON | ECHO)
        withUnsafeMutableBytes(of: &raw.c_cc) { cc in
            cc[Int(VMIN)] = 1
            cc[Int(VTIME)] = 0
        }
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &raw)
        rawModeOn = true
        signal(SIGINT) { _ in
            // Only async-signal-safe calls here: restore, show the cursor, end.
            if rawModeOn { tcsetattr(STDIN_FILENO, TCSAFLUSH, &savedSettings) }
            let message = "\u{1B}[?25h\n(interrupted; your progress is saved)\n"
            _ = message.withCString { write(STDOUT_FILENO, $0, strlen($0)) }
            _exit(130)
        }
    }

    /// Restores the settings saved by `enterRawMode`.
    public static func leaveRawMode() {
        guard rawModeOn else { return }
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &savedSettings)
        rawModeOn = false
        signal(SIGINT, SIG_DFL)
    }

    /// Reads one key press: Enter, space, `n` or → are next; `b` or ← back; `r` re-run; `q` or end
    /// of input quit; `?` or `h` help.
    public static func readKey() -> Key {
        var byte: UInt8 = 0
        guard read(STDIN_FILENO, &byte, 1) == 1 else { return .quit }
        switch byte {
        case 10, 13, 32, UInt8(ascii: "n"): return .next
        case UInt8(ascii: "b"), 127: return .back
        case UInt8(ascii: "r"): return .rerun
        case UInt8(ascii: "q"), 4: return .quit
        case UInt8(ascii: "?"), UInt8(ascii: "h"): return .help
        case 27:  // an escape sequence: ESC [ C is →, ESC [ D is ←
            var seq: [UInt8] = [0, 0]
            guard read(STDIN_FILENO, &seq[0], 1) == 1, seq[0] == UInt8(ascii: "["),
                  read(STDIN_FILENO, &seq[1], 1) == 1 else { return .other }
            return seq[1] == UInt8(ascii: "C") ? .next : seq[1] == UInt8(ascii: "D") ? .back : .other
        default: return .other
        }
    }

    /// Clears the screen and moves the cursor home.
    public static let clearScreen = "\u{1B}[2J\u{1B}[3J\u{1B}[H"
}

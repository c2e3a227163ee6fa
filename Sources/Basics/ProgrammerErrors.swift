// ProgrammerErrors.swift — stopping on a programmer error (a layer built with no features, a
// schedule with a negative step) with a message that says what was wrong, in every build.
//
// Swift's `precondition` stops the same way, but an optimized build (`swift build -c release`,
// the `lumen` a learner runs, or the modules `./run-tests` compiles with -O) drops its message
// and stops with a bare "illegal instruction". `fatalError` keeps the message, so the checks go
// through it. Bad input from outside (a file, a CLI argument) is not a programmer error: it gets
// a typed error instead.
//
// Read next: ShapeRules.swift.

/// Stops the program with `message`, naming `file` and `line`, unless `condition` holds.
/// `precondition`, but the message survives optimized builds.
@inlinable
public func trapUnless(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String,
                       file: StaticString = #fileID, line: UInt = #line) {
    if !condition() { fatalError(message(), file: file, line: line) }
}

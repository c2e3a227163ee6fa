// DOTReading.swift — small helpers to pick statements and attributes out of DOT text in tests.

import Foundation

/// The statement that defines node `name` (for example `v3` or `op3`), without its indent.
func statement(of name: String, in dot: String) -> String? {
    dot.split(separator: "\n").map { $0.drop { $0 == " " } }.first { $0.hasPrefix("\(name) [") }.map(String.init)
}

/// The value of `attribute="..."` in a statement, or nil.
func attribute(_ attribute: String, in statement: String) -> String? {
    guard let start = statement.range(of: " \(attribute)=\"") else { return nil }
    let rest = statement[start.upperBound...]
    return rest.firstIndex(of: "\"").map { String(rest[..<$0]) }
}

/// Every line of the DOT text that is an edge statement.
func edges(in dot: String) -> [String] {
    dot.split(separator: "\n").map { String($0.drop { $0 == " " }) }.filter { $0.contains(" -> ") }
}

/// WCAG relative luminance of a `#rrggbb` colour: 0 for black, 1 for white.
func relativeLuminance(_ hex: String) -> Double {
    let digits = Array(hex.dropFirst())
    func channel(_ i: Int) -> Double {
        let c = Double(Int(String(digits[i..<i + 2]), radix: 16)!) / 255
        return c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4)
    }
    return 0.2126 * channel(0) + 0.7152 * channel(2) + 0.0722 * channel(4)
}

// PictureFiles.swift — reading back pictures in tests: SVG as XML, the size in a PNG header,
// and a fresh temporary directory per test (tests run in parallel). Used by RenderTests and
// PlotsTests. Not API (hence the underscore in the module name).

import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// What an XML parse of an SVG found: whether it parsed, the root element, and the text.
public struct ParsedSVG: Sendable {
    public var parsed = false
    public var rootName = ""
    public var rootAttributes: [String: String] = [:]
    /// The content of every <text> element, with surrounding whitespace (including no-break
    /// spaces) trimmed.
    public var texts: [String] = []
}

/// Parses `bytes` with Foundation's XMLParser (libxml2 on Linux).
public func parseSVG(_ bytes: [UInt8]) -> ParsedSVG {
    final class Collector: NSObject, XMLParserDelegate {
        var result = ParsedSVG()
        var inText = false
        var current = ""

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?,
                    qualifiedName: String?, attributes: [String: String] = [:]) {
            if result.rootName.isEmpty {
                result.rootName = name
                result.rootAttributes = attributes
            }
            if name == "text" {
                inText = true
                current = ""
            }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            if inText { current += string }
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            if name == "text" {
                inText = false
                result.texts.append(current.trimmingCharacters(in: CharacterSet.whitespacesAndNewlines.union(["\u{A0}"])))
            }
        }
    }
    let collector = Collector()
    let parser = XMLParser(data: Data(bytes))
    parser.delegate = collector
    collector.result.parsed = parser.parse()
    return collector.result
}

/// The width and height in a PNG's IHDR chunk, or nil if the bytes do not start with the PNG
/// signature followed by an IHDR chunk.
public func pngSize(_ bytes: [UInt8]) -> (width: Int, height: Int)? {
    let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
    guard bytes.count >= 24, Array(bytes[0..<8]) == signature, Array(bytes[12..<16]) == Array("IHDR".utf8) else {
        return nil
    }
    func bigEndian(_ offset: Int) -> Int { bytes[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) } }
    return (bigEndian(16), bigEndian(20))
}

/// A new, empty directory for one test.
public func makeTemporaryDirectory() throws -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("lumen-test-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
    return path
}

/// The names in a directory, sorted (empty if it cannot be read).
public func contentsOfDirectory(_ path: String) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted()
}

/// The bytes of a file.
public func bytesOfFile(_ path: String) throws -> [UInt8] {
    [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
}

// StepContext+Boundary.swift — a decision boundary drawn in text: each character cell is
// coloured by what a classifier says there, and the data points are drawn on top.
//
// Text keeps it visible in any terminal, in pipes and in the HTML export.
// Read next: LessonRunner.swift.

extension StepContext {
    /// Prints a `width`×`height` character map of the plane around `points`. Cells where
    /// `classify(x, y) > 0` are `·`, the rest blank; points labelled +1 are `o`, −1 are `x`.
    public func boundary(points: [[Double]], labels: [Double], width: Int = 56, height: Int = 18,
                         classify: (Double, Double) -> Double) {
        guard !points.isEmpty, width > 1, height > 1 else { return }
        let xs = points.map { $0[0] }, ys = points.map { $0[1] }
        let (x0, x1) = (xs.min()! - 0.25, xs.max()! + 0.25)
        let (y0, y1) = (ys.min()! - 0.25, ys.max()! + 0.25)
        // Cell (col, row) covers x0 + (col + 0.5)·dx, top row is the largest y.
        let dx = (x1 - x0) / Double(width), dy = (y1 - y0) / Double(height)
        var grid = (0..<height).map { row in
            (0..<width).map { col -> Character in
                classify(x0 + (Double(col) + 0.5) * dx, y1 - (Double(row) + 0.5) * dy) > 0 ? "·" : " "
            }
        }
        for (point, label) in zip(points, labels) {
            let col = min(width - 1, max(0, Int((point[0] - x0) / dx)))
            let row = min(height - 1, max(0, Int((y1 - point[1]) / dy)))
            grid[row][col] = label > 0 ? "o" : "x"
        }
        print("┌" + String(repeating: "─", count: width) + "┐")
        for row in grid { print("│" + String(row) + "│") }
        print("└" + String(repeating: "─", count: width) + "┘")
    }
}

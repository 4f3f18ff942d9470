import Foundation

/// `training.svg`: the training and validation loss per epoch as a line chart, 640 × 400
/// pixels, with labelled axes (epochs; cross-entropy in nats per token) and a legend.
public func lossPlotSVG(_ history: [EpochRecord]) -> String {
    let (width, height) = (640.0, 400.0)
    let (left, right, top, bottom) = (60.0, 20.0, 30.0, 50.0)
    let series: [(name: String, color: String, points: [(Int, Double)])] = [
        ("training loss", "#1f77b4", history.map { ($0.epoch, $0.trainLoss) }),
        ("validation loss", "#ff7f0e", history.compactMap { r in r.validationLoss.map { (r.epoch, $0) } }),
    ].filter { !$0.points.isEmpty }
    let lastEpoch = max(history.last?.epoch ?? 1, 2)
    let firstEpoch = min(history.first?.epoch ?? 1, lastEpoch - 1)
    let values = series.flatMap { $0.points.map(\.1) }.filter(\.isFinite)
    let yMax = niceCeiling(values.max() ?? 1)
    func x(_ epoch: Int) -> Double { left + (width - left - right) * Double(epoch - firstEpoch) / Double(lastEpoch - firstEpoch) }
    func y(_ v: Double) -> Double { top + (height - top - bottom) * (1 - min(max(v, 0), yMax) / yMax) }
    func f(_ v: Double) -> String { String(format: "%.1f", v) }

    var svg = """
        <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" viewBox="0 0 \(Int(width)) \(Int(height))" \
        font-family="sans-serif" font-size="12">
        <rect width="100%" height="100%" fill="white"/>

        """
    for i in 0...5 {
        let v = yMax * Double(i) / 5
        svg += "<line x1=\"\(f(left))\" y1=\"\(f(y(v)))\" x2=\"\(f(width - right))\" y2=\"\(f(y(v)))\" stroke=\"#ddd\"/>"
        svg += "<text x=\"\(f(left - 6))\" y=\"\(f(y(v) + 4))\" text-anchor=\"end\">\(String(format: "%.2f", v))</text>\n"
    }
    for i in 0...5 {
        let epoch = firstEpoch + Int((Double(lastEpoch - firstEpoch) * Double(i) / 5).rounded())
        svg += "<text x=\"\(f(x(epoch)))\" y=\"\(f(height - bottom + 18))\" text-anchor=\"middle\">\(epoch)</text>\n"
    }
    svg += """
        <line x1="\(f(left))" y1="\(f(height - bottom))" x2="\(f(width - right))" y2="\(f(height - bottom))" stroke="black"/>
        <line x1="\(f(left))" y1="\(f(top))" x2="\(f(left))" y2="\(f(height - bottom))" stroke="black"/>
        <text x="\(f((left + width - right) / 2))" y="\(f(height - 10))" text-anchor="middle">epoch</text>
        <text transform="translate(16 \(f((top + height - bottom) / 2))) rotate(-90)" text-anchor="middle">cross-entropy (nats per token)</text>

        """
    for (k, s) in series.enumerated() {
        let points = s.points.map { "\(f(x($0.0))),\(f(y($0.1)))" }.joined(separator: " ")
        svg += "<polyline fill=\"none\" stroke=\"\(s.color)\" stroke-width=\"2\" points=\"\(points)\"/>\n"
        let ly = top + 4 + 16 * Double(k)
        svg += "<line x1=\"\(f(width - right - 150))\" y1=\"\(f(ly))\" x2=\"\(f(width - right - 130))\" y2=\"\(f(ly))\" "
            + "stroke=\"\(s.color)\" stroke-width=\"2\"/>"
        svg += "<text x=\"\(f(width - right - 125))\" y=\"\(f(ly + 4))\">\(s.name)</text>\n"
    }
    return svg + "</svg>\n"
}

/// The smallest of 1, 2, 2.5 or 5 times a power of ten that is at least `v` (1 for `v ≤ 0`).
func niceCeiling(_ v: Double) -> Double {
    guard v > 0 else { return 1 }
    let power = pow(10, floor(log10(v)))
    return [1, 2, 2.5, 5, 10].map { $0 * power }.first { $0 >= v } ?? 10 * power
}

// AVX2Math.swift — fast path, outside the reading order: eˣ, σ(x), tanh x, erf x and the exact
// GELU for Float, eight elements at a time in SIMD vectors. `BLASBackend.map` calls `row` for
// Float rows; the readable form is the default `map` (Tensors/Backends/ReferenceBackend.swift),
// which calls libm once per element.
//
// Why: the gates of an LSTM (names-lstm) take σ and tanh of 30,000 numbers per time step,
// the softmax of attention takes eˣ, a GPT's GELU takes erf and its derivative eˣ, and libm's
// scalar `expf`, `tanhf` and `erff` cost 5–20 ns each. Here one vector of eight costs a few
// nanoseconds (38 against 121 instructions per element for tanh, callgrind).
//
// Why in this module: on x86-64 it is compiled for AVX2 (Package.swift), so a vector of eight
// is one instruction where the baseline needs two SSE ones. Compiled with Tensors instead,
// an epoch of names-lstm took 7–8 % longer and one of names-gpt 11–17 % (on an Intel Xeon:
// Docs/performance.md, "Session 12"). Each lane
// still rounds every +, −, × and ÷ on its own (Swift does not fuse them), so the numbers are
// those of the SSE build. BLASBackend calls `row` only after checking that the CPU has AVX2
// and FMA; without them the default formulas run. On other architectures nothing here needs
// AVX2: the module is compiled for the baseline, and `row` is always used.
//
// How eˣ is computed (the textbook range reduction; every constant below is derived here):
//     x = n·ln 2 + r,  n = round(x / ln 2),  |r| ≤ ½ ln 2 ≈ 0.347
//     eˣ = 2ⁿ · eʳ,    eʳ = 1 + r + r²/2! + … + r⁷/7!  (Taylor; the first term left out,
//                      r⁸/8!, is below 6·10⁻⁹, under half a Float ulp of eʳ ≥ 0.7)
// n·ln 2 is subtracted in two parts (ln 2 = ln2High + ln2Low, ln2High with few mantissa
// bits, so n·ln2High is exact) so that r keeps its precision. round() is the classic
// trick of adding and subtracting 1.5·2²³, which leaves n, as an integer, in the low
// bits of the sum: 2ⁿ is then built from those bits directly (exponent field n + 127).
// x above ln(largest Float) ≈ 88.72283 gives +∞ and x below −104 gives 0, as libm's expf
// overflows and underflows there (subnormal results in between), and NaN stays NaN.
//
//     σ(x)   = 1 / (1 + e⁻ˣ)
//     tanh x = sign(x) · (1 − 2 / (1 + e^(2|x|)))       for |x| ≥ 0.25 (no cancellation there)
//            = x − x³/3 + 2x⁵/15 − 17x⁷/315 + 62x⁹/2835 − 1382x¹¹/155925   for |x| < 0.25
// (the Taylor series of tanh; the next term, 21844x¹³/6081075, is below 6·10⁻¹¹ there).
//
// Accuracy: within a few Float ulps of libm (ParityTests.vectorMathAcrossTheRange), not bit for
// bit; GELU's 1 + erf cancels for x below −3, as the default formula's does.
//
// Read next: nothing; back to ../Tensors/Backends/BLASBackend.swift, `map`.

public enum AVX2Math {
    typealias Lanes = SIMD8<Float>
    typealias Bits = SIMD8<Int32>

    /// The functions `row` computes.
    public enum Function: Sendable {
        case exp, sigmoid, tanh, erf, geluErf
    }

    /// out[j] = f(x[j · step]) for j < count (step 1: consecutive), with f the `function`.
    public static func row(_ function: Function, _ x: UnsafePointer<Float>, step: Int,
                           into out: UnsafeMutablePointer<Float>, count: Int) {
        // One loop per function, each with its function inlined.
        switch function {
        case .exp: row(exp, x, step: step, into: out, count: count)
        case .sigmoid: row(sigmoid, x, step: step, into: out, count: count)
        case .tanh: row(tanh, x, step: step, into: out, count: count)
        case .erf: row(erf, x, step: step, into: out, count: count)
        case .geluErf: row(geluErf, x, step: step, into: out, count: count)
        }
    }

    /// eˣ in every lane.
    @inline(__always)
    static func exp(_ x: Lanes) -> Lanes {
        let log2e: Float = 1.442_695_04, ln2High: Float = 0.693_145_751_953_125, ln2Low: Float = 1.428_606_820_286_227e-6
        let shifter: Float = 12_582_912  // 1.5 · 2²³
        let clamped = clamp(x, -104, 88.722_83)
        let shifted = clamped * log2e + shifter
        let n = shifted - shifter                                   // round(x / ln 2), as a Float
        let r = (clamped - n * ln2High) - n * ln2Low
        // eʳ by Horner's rule over 1/k!, k = 7 … 0.
        var p = Lanes(repeating: 1.0 / 5040)
        p = p * r + 1.0 / 720
        p = p * r + 1.0 / 120
        p = p * r + 1.0 / 24
        p = p * r + 1.0 / 6
        p = p * r + 0.5
        p = p * r + 1
        p = p * r + 1
        // 2ⁿ as 2ᵃ · 2ᵇ with a = ⌊n/2⌋, b = n − a, each a normal Float for n in −150…128
        // (2ⁿ alone is not, at either end). n sits in the low bits of `shifted`, whose bits
        // are 0x4B40_0000 + n; 2ᵃ has the exponent field a + 127.
        let integer = unsafeBitCast(shifted, to: Bits.self) &- 0x4B40_0000
        let a = integer &>> 1, b = integer &- a
        let twoToA = unsafeBitCast((a &+ 127) &<< 23, to: Lanes.self)
        let twoToB = unsafeBitCast((b &+ 127) &<< 23, to: Lanes.self)
        var result = p * twoToA * twoToB
        result.replace(with: .infinity, where: x .> 88.72283)      // ln of the largest Float
        result.replace(with: x, where: x .!= x)                     // NaN stays NaN
        return result
    }

    /// x limited to low…high (NaN stays NaN). Selects rather than `clamped(lowerBound:upperBound:)`,
    /// which the compiler leaves as two calls per vector.
    @inline(__always)
    static func clamp(_ x: Lanes, _ low: Float, _ high: Float) -> Lanes {
        x.replacing(with: low, where: x .< low).replacing(with: high, where: x .> high)
    }

    /// σ(x) = 1 / (1 + e⁻ˣ) in every lane (0 for x → −∞, where e⁻ˣ = +∞).
    @inline(__always)
    static func sigmoid(_ x: Lanes) -> Lanes {
        1 / (1 + exp(-x))
    }

    /// tanh x in every lane.
    @inline(__always)
    static func tanh(_ x: Lanes) -> Lanes {
        let t = x.replacing(with: -x, where: x .< 0)               // |x|
        let large = 1 - 2 / (1 + exp(2 * clamp(t, 0, 9)))           // tanh 9 rounds to 1
        let t2 = t * t
        var small = Lanes(repeating: -1382.0 / 155_925)
        small = small * t2 + 62.0 / 2835
        small = small * t2 - 17.0 / 315
        small = small * t2 + 2.0 / 15
        small = small * t2 - 1.0 / 3
        small = small * t2 * t + t
        var magnitude = large.replacing(with: small, where: t .< 0.25)
        magnitude.replace(with: x, where: x .!= x)                  // NaN stays NaN
        return magnitude.replacing(with: -magnitude, where: x .< 0)
    }

    /// erf x in every lane:
    ///
    ///     |x| < 0.5:         x · Σₙ cₙ x²ⁿ, n = 0…6,  cₙ = (2/√π)(−1)ⁿ / (n!(2n + 1))   (Taylor;
    ///                        the first term left out is below 5·10⁻¹⁰)
    ///     0.5 ≤ |x| < 3.92:  1 − e^(−x²) · R(t),  t = 1/(1 + |x|)
    ///     |x| ≥ 3.92:        1   (erf 3.92 rounds to 1 in Float)
    /// with the sign of x. R(t) approximates erfc(x)·e^(x²), a smooth function of t between
    /// 0.2 and 0.67: the polynomial below, in u = (t − 0.43496)·4.31579 (t scaled to −1…1),
    /// is a least-squares Chebyshev fit of degree 8 on 40,001 points, made for this file
    /// with numpy (`chebfit`, then `cheb2poly`), within 2.4·10⁻⁷ of R in Float arithmetic,
    /// which keeps erf within 3 ulps.
    @inline(__always)
    static func erf(_ x: Lanes) -> Lanes {
        let a = x.replacing(with: -x, where: x .< 0)
        let a2 = a * a
        var small = Lanes(repeating: 0.000_120_553_329_817_896_6)
        small = small * a2 - 0.000_854_832_550_829_933_7
        small = small * a2 + 0.005_223_977_625_442_188
        small = small * a2 - 0.026_866_170_645_131_25
        small = small * a2 + 0.112_837_916_709_551_26
        small = small * a2 - 0.376_126_389_031_837_54
        small = small * a2 + 1.128_379_167_095_512_6
        small = small * a
        let t: Lanes = 1 / (1 + a)
        let u = (t - 0.434_959_352_016_449) * 4.315_789_699_554_443
        var r = Lanes(repeating: 4.971_467_660_652_706e-06)
        r = r * u - 3.525_449_983_499_129_3e-06
        r = r * u - 5.999_728_455_208_242e-05
        r = r * u + 0.000_267_804_512_986_913_3
        r = r * u - 3.899_354_487_657_547e-05
        r = r * u - 0.005_586_763_378_232_717_5
        r = r * u + 0.019_930_314_272_642_136
        r = r * u + 0.243_348_270_654_678_34
        r = r * u + 0.357_828_289_270_401
        var magnitude = 1 - exp(-a2) * r
        magnitude.replace(with: small, where: a .< 0.5)
        magnitude.replace(with: 1, where: a .>= 3.92)
        magnitude.replace(with: x, where: x .!= x)                  // NaN stays NaN
        return magnitude.replacing(with: -magnitude, where: x .< 0)
    }

    /// GELU, exact: ½x · (1 + erf(x/√2)), rounded as the default kernel's formula.
    @inline(__always)
    static func geluErf(_ x: Lanes) -> Lanes {
        0.5 * x * (1 + erf(x * 0.707_106_781_186_547_5))
    }

    /// out[j] = f(x[j · step]) for j < count (step 1: consecutive), eight at a time; the last
    /// few through one vector padded with zeros, so that every element takes the same formula.
    @inline(__always)
    static func row(_ f: (Lanes) -> Lanes, _ x: UnsafePointer<Float>, step: Int,
                    into out: UnsafeMutablePointer<Float>, count: Int) {
        var j = 0
        if step == 1 {
            while j + Lanes.scalarCount <= count {
                let value = f(UnsafeRawPointer(x + j).loadUnaligned(as: Lanes.self))
                UnsafeMutableRawPointer(out + j).storeBytes(of: value, as: Lanes.self)
                j += Lanes.scalarCount
            }
        }
        while j < count {
            var lanes = Lanes(repeating: 0)
            let n = Swift.min(Lanes.scalarCount, count - j)
            for l in 0..<n { lanes[l] = x[(j + l) * step] }
            let value = f(lanes)
            for l in 0..<n { out[j + l] = value[l] }
            j += n
        }
    }
}

import Engine
import Foundation
let K = 142857
let t0 = DispatchTime.now().uptimeNanoseconds
var s: Value! = nil
for i in 0..<K {
    let a = Value(Double(i % 97 - 48) / 48), b = Value(Double(i % 89 - 44) / 44), c = Value(Double(i % 83 - 41) / 41)
    let t = (a * b + c).tanh()
    s = s == nil ? t : s + t
}
let t1 = DispatchTime.now().uptimeNanoseconds
s.backward()
let t2 = DispatchTime.now().uptimeNanoseconds
let n = Double(7 * K - 1)
print("value", s.data, "fwd ns/node", Double(t1 - t0) / n, "bwd ns/node", Double(t2 - t1) / n)
s = nil
let t3 = DispatchTime.now().uptimeNanoseconds
print("teardown ns/node", Double(t3 - t2) / n)

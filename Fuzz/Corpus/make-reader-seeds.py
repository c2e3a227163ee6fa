# make-reader-seeds.py — writes the seed files of Fuzz/Corpus/csv, npy and png (run from the
# repository root with a Python that has numpy: Scripts/python-env.sh makes one). The PNG seeds
# start with two bytes that choose the model input's width and height (Fuzz/Targets/png.swift).
import numpy as np, struct, zlib, os
root='Fuzz/Corpus'
# CSV
csv={
 'header-and-rows.csv': 'x,y,label\n0.5,1,0\n-2e-3,3.25,1\n',
 'digits-row.csv': ','.join(str(v) for v in range(64))+'\n',
 'quoted-crlf.csv': '"a", "b"\r\n"1.5", 2\r\n\r\n3,4\r\n',
 'no-header.csv': '1,2,3\n4,5,6\n7,8,9',
 'exponents.csv': '1e10,-1E-10,+3.\n.5,0x1p3,inf\n',
 'ragged.csv': '1,2\n3\n',
}
for n,t in csv.items(): open(f'{root}/csv/{n}','w').write(t)
# NPY
rng=np.random.default_rng(0)
arrs={'f4-2x64.npy': rng.standard_normal((2,64)).astype('<f4'),
 'f8-3.npy': np.array([1.5,-2,3e300]),
 'u1-8x8.npy': np.arange(64,dtype='u1').reshape(8,8),
 'i8-scalar.npy': np.array(7,dtype='<i8'),
 'f2-empty.npy': np.zeros((0,4),dtype='<f2'),
 'i2-1x2x3.npy': np.arange(6,dtype='<i2').reshape(1,2,3)}
for n,a in arrs.items(): np.save(f'{root}/npy/{n}',a)
with open(f'{root}/npy/v2-f4.npy','wb') as f:
    np.lib.format.write_array(f, np.ones((3,),dtype='<f4'), version=(2,0))
with open(f'{root}/npy/v3-u4.npy','wb') as f:
    np.lib.format.write_array(f, np.ones((2,2),dtype='<u4'), version=(3,0))
# PNG
def chunk(t,d): return struct.pack('>I',len(d))+t+d+struct.pack('>I',zlib.crc32(t+d))
def png(w,h,ctype,depth,rows,plte=None,trns=None,interlace=0):
    raw=b''.join(b'\0'+r for r in rows)
    out=b'\x89PNG\r\n\x1a\n'+chunk(b'IHDR',struct.pack('>IIBBBBB',w,h,depth,ctype,0,0,interlace))
    if plte: out+=chunk(b'PLTE',plte)
    if trns: out+=chunk(b'tRNS',trns)
    return out+chunk(b'IDAT',zlib.compress(raw))+chunk(b'IEND',b'')
def save(name,tw,th,data): open(f'{root}/png/{name}','wb').write(bytes([tw-1,th-1])+data)
save('gray-8x8-to-8x8',8,8,png(8,8,0,8,[bytes((x*32+y)%256 for x in range(8)) for y in range(8)]))
save('rgba-16x16-to-8x8',8,8,png(16,16,6,8,[bytes((x*7+y*3+c)%256 for x in range(16) for c in range(4)) for y in range(16)]))
save('rgb-6x3-to-2x1',2,1,png(6,3,2,8,[bytes((x*40+y)%256 for x in range(18)) for y in range(3)]))
save('palette-4x4-to-2x2',2,2,png(4,4,3,8,[bytes([0,1,2,1]) for y in range(4)],plte=bytes([0,0,0,255,255,255,10,200,30]),trns=bytes([255,128])))
save('gray16-2x2-to-1x1',1,1,png(2,2,0,16,[bytes([0,0,255,255]),bytes([128,0,1,2])]))
save('gray-alpha-3x3-to-3x3',3,3,png(3,3,4,8,[bytes(range(y*6,y*6+6)) for y in range(3)]))
save('gray1bit-8x8-to-4x4',4,4,png(8,8,0,1,[bytes([0b10101010 ^ y]) for y in range(8)]))

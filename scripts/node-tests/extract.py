import subprocess, sys, os
D, c, out = sys.argv[1:4]
ls = subprocess.run(['git','--git-dir='+D,'ls-tree','-r','-z',c,'test/common','test/fixtures','test/parallel'],capture_output=True).stdout.split(b'\0')
ents=[]
for e in ls:
    if not e: continue
    meta, path = e.split(b'\t',1)
    mode, typ, sha = meta.split()
    path=path.decode()
    if path.startswith('test/parallel/') and not os.path.basename(path).startswith('test-stream'): continue
    if typ!=b'blob': continue
    ents.append((mode,sha,path))
p = subprocess.Popen(['git','--git-dir='+D,'cat-file','--batch'],stdin=subprocess.PIPE,stdout=subprocess.PIPE)
missing=0
for mode,sha,path in ents:
    p.stdin.write(sha+b'\n'); p.stdin.flush()
    hdr=p.stdout.readline()
    if hdr.endswith(b'missing\n'): missing+=1; continue
    n=int(hdr.split()[2]); data=p.stdout.read(n); p.stdout.read(1)
    fp=os.path.join(out,path); os.makedirs(os.path.dirname(fp),exist_ok=True)
    if mode==b'120000':
        try: os.symlink(data.decode(),fp)
        except FileExistsError: pass
    else:
        open(fp,'wb').write(data)
        if mode==b'100755': os.chmod(fp,0o755)
print(out, len(ents), 'missing', missing)

import { runSuite } from './test/decompose/phenomena/run';
import { CLASS_NAMES } from './test/decompose/phenomena/cases';
let p=0,t=0;
for (const s of runSuite()) { p+=s.passed;t+=s.total; console.log(s.cls, CLASS_NAMES[s.cls], `${s.passed}/${s.total}`); for (const f of s.failures) if (process.argv[2]) console.log('   ', f.text.slice(0,40), '::', f.why); }
console.log(p,t);

import { decompose } from './src/shared/decompose/index';

for (const t of process.argv.slice(2))
  console.log(
    JSON.stringify(
      decompose(t, { date: '2026-03-10' }).tasks.map((x) => [
        x.lead,
        x.co,
        x.deadline?.text,
        x.deadline?.date,
      ]),
    ),
  );

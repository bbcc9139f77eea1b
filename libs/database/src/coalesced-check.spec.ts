import { CoalescedCheck } from './coalesced-check';

function controlledReads() {
  const reads: Array<{ questions: number[]; finish: (answer: string) => void; fail: (err: Error) => void }> = [];
  const check = new CoalescedCheck<number, string>(
    (questions) =>
      new Promise<string>((resolve, reject) => {
        reads.push({ questions: [...questions], finish: resolve, fail: reject });
      }),
  );
  return { check, reads };
}

describe('CoalescedCheck', () => {
  it('answers a lone question with one read of its own', async () => {
    const { check, reads } = controlledReads();
    const answer = check.ask(1);
    expect(reads).toHaveLength(1);
    reads[0].finish('a');
    await expect(answer).resolves.toBe('a');
  });

  it('never answers a question with a read that began before it was asked', async () => {
    const { check, reads } = controlledReads();
    const first = check.ask(1);
    const second = check.ask(2);
    const third = check.ask(3);
    // The read for 1 was under way when 2 and 3 came: they wait for the next read, together.
    expect(reads.map((r) => r.questions)).toEqual([[1]]);
    reads[0].finish('before');
    await expect(first).resolves.toBe('before');
    await Promise.resolve();
    expect(reads.map((r) => r.questions)).toEqual([[1], [2, 3]]);
    reads[1].finish('after');
    await expect(second).resolves.toBe('after');
    await expect(third).resolves.toBe('after');
  });

  it('passes a failed read to the questions it was for, and goes on with the next', async () => {
    const { check, reads } = controlledReads();
    const first = check.ask(1);
    const second = check.ask(2);
    reads[0].fail(new Error('down'));
    await expect(first).rejects.toThrow('down');
    await Promise.resolve();
    reads[1].finish('up');
    await expect(second).resolves.toBe('up');
  });
});

describe('CoalescedCheck with two reads at once', () => {
  it('starts a second read at once, and batches only behind two', async () => {
    const reads: Array<{ questions: number[]; finish: (answer: string) => void }> = [];
    const check = new CoalescedCheck<number, string>((questions) => new Promise<string>((resolve) => reads.push({ questions: [...questions], finish: resolve })), 2);
    const answers = [check.ask(1), check.ask(2), check.ask(3), check.ask(4)];
    expect(reads.map((r) => r.questions)).toEqual([[1], [2]]);
    reads[1].finish('second');
    await expect(answers[1]).resolves.toBe('second');
    await Promise.resolve();
    expect(reads.map((r) => r.questions)).toEqual([[1], [2], [3, 4]]);
    reads[0].finish('first');
    reads[2].finish('third');
    await expect(answers[0]).resolves.toBe('first');
    await expect(answers[3]).resolves.toBe('third');
  });
});

/**
 * Runs `read` for a batch of questions, never answering a question with a read that began before
 * the question was asked. Up to `maxInFlight` reads run at once; a question asked while that many
 * are under way waits for the next read, which starts as soon as one of them ends and answers
 * every question that waited. Under load that is a fraction of a read per question; alone, a
 * question costs exactly one read.
 */
export class CoalescedCheck<Q, A> {
  private waiting: { questions: Q[]; answer: Promise<A>; start: () => void } | undefined;
  private inFlight = 0;

  constructor(
    private readonly read: (questions: Q[]) => Promise<A>,
    private readonly maxInFlight = 1,
  ) {}

  ask(question: Q): Promise<A> {
    if (!this.waiting) this.waiting = this.batch();
    this.waiting.questions.push(question);
    const { answer } = this.waiting;
    if (this.inFlight < this.maxInFlight) this.startWaiting();
    return answer;
  }

  private batch(): { questions: Q[]; answer: Promise<A>; start: () => void } {
    const questions: Q[] = [];
    let start!: () => void;
    const answer = new Promise<A>((resolve, reject) => {
      start = () => this.read(questions).then(resolve, reject);
    });
    return { questions, answer, start };
  }

  private startWaiting(): void {
    const batch = this.waiting;
    if (!batch) return;
    this.waiting = undefined;
    this.inFlight++;
    batch.start();
    const done = () => {
      this.inFlight--;
      this.startWaiting();
    };
    batch.answer.then(done, done);
  }
}

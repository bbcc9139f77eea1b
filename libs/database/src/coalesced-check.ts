/**
 * Runs `read` for a batch of questions, never answering a question with a read that began before
 * the question was asked: questions asked while a read is under way wait for the next one, which
 * starts as soon as the current one ends and answers all of them. Under load that is one read
 * per round trip instead of one per question; alone, a question costs exactly one read.
 */
export class CoalescedCheck<Q, A> {
  private next: { questions: Q[]; answer: Promise<A>; start: () => void } | undefined;
  private running = false;

  constructor(private readonly read: (questions: Q[]) => Promise<A>) {}

  ask(question: Q): Promise<A> {
    if (!this.next) this.next = this.batch();
    this.next.questions.push(question);
    const { answer } = this.next;
    if (!this.running) this.startNext();
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

  private startNext(): void {
    const batch = this.next;
    if (!batch) return;
    this.next = undefined;
    this.running = true;
    batch.start();
    const done = () => {
      this.running = false;
      this.startNext();
    };
    batch.answer.then(done, done);
  }
}

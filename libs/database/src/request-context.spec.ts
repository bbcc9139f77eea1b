import { EventEmitter } from 'node:events';
import { abandonSignalOf, currentAbandonSignal, runInRequestContext } from './request-context';

class FakeResponse extends EventEmitter {
  writableFinished = false;
}

describe('abandonSignalOf', () => {
  it('aborts when the client leaves before the response was sent, made before or after', () => {
    const early = new FakeResponse();
    const signalOf = abandonSignalOf(early);
    const signal = signalOf();
    expect(signal.aborted).toBe(false);
    early.emit('close');
    expect(signal.aborted).toBe(true);
    expect(signalOf()).toBe(signal);

    const late = new FakeResponse();
    const lateSignalOf = abandonSignalOf(late);
    late.emit('close');
    expect(lateSignalOf().aborted).toBe(true);
  });

  it('never aborts for a response that was sent', () => {
    const response = new FakeResponse();
    const signalOf = abandonSignalOf(response);
    const signal = signalOf();
    response.writableFinished = true;
    response.emit('close');
    expect(signal.aborted).toBe(false);
  });

  it('is what the request context gives to what the request runs', async () => {
    const response = new FakeResponse();
    let seen: AbortSignal | undefined;
    await new Promise<void>((resolve) =>
      runInRequestContext({}, () => void Promise.resolve().then(() => ((seen = currentAbandonSignal()), resolve())), abandonSignalOf(response)),
    );
    response.emit('close');
    expect(seen?.aborted).toBe(true);
    expect(currentAbandonSignal()).toBeUndefined();
  });
});

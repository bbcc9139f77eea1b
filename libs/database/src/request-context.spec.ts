import { EventEmitter } from 'node:events';
import { abandonSignalFor, abandonSignalOf, setAbandonSignal } from './request-context';

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

  it('is carried by the request it was set on, and by no other', () => {
    const request = {};
    const signalOf = abandonSignalOf(new FakeResponse());
    setAbandonSignal(request, signalOf);
    expect(abandonSignalFor(request)).toBe(signalOf);
    expect(abandonSignalFor({})).toBeUndefined();
  });
});

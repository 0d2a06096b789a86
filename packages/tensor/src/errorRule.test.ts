import { DescentError, NotSupportedError, ValueError } from './index';
import { ready } from './tf';

// The error rule (decision D3): a wrong enum string is a ValueError; NotSupportedError is only
// for a valid request the configuration cannot do.
describe('the error rule in @descent/tensor', () => {
  it('ready() with an unknown backend name is a ValueError naming backend', async () => {
    const p = ready({ backend: 'gpu' as 'cpu' });
    await expect(p).rejects.toThrow(ValueError);
    await expect(ready({ backend: 'gpu' as 'cpu' })).rejects.toMatchObject({ argument: 'backend' });
    await expect(ready({ backend: 'gpu' as 'cpu' })).rejects.not.toBeInstanceOf(NotSupportedError);
    await expect(ready({ backend: 'gpu' as 'cpu' })).rejects.toBeInstanceOf(DescentError);
  });
});

// Preloaded into the app's process by the load benchmark when LOAD_CPU_PROFILE is set
// (`node --import <this> dist/src/main.js`): V8's sampling profiler, started and stopped over the
// IPC channel around each measured run, so each scenario gets a profile of its own (--cpu-prof
// gives one profile of the whole process, written only at exit). The profile goes back over IPC.
import { Session } from 'node:inspector/promises';

const session = new Session();
session.connect();
const INTERVAL_US = Number(process.env.LOAD_CPU_PROFILE_INTERVAL_US ?? 1000);

if (process.send) {
  process.on('message', async (message) => {
    if (!message || typeof message !== 'object' || typeof message.profileRequest !== 'string') return;
    const { id, profileRequest } = message;
    try {
      if (profileRequest === 'start') {
        await session.post('Profiler.enable');
        await session.post('Profiler.setSamplingInterval', { interval: INTERVAL_US });
        await session.post('Profiler.start');
        process.send({ id, ok: true });
      } else if (profileRequest === 'stop') {
        const { profile } = await session.post('Profiler.stop');
        await session.post('Profiler.disable');
        process.send({ id, profile });
      }
    } catch (error) {
      process.send({ id, error: error instanceof Error ? error.message : String(error) });
    }
  });
  process.channel?.unref();
}

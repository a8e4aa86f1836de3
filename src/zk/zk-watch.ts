/**
 * Adapts a Kiln watcher to the library's: maps the event type and keeps a
 * throwing watcher from breaking the library's socket reader (watchers run
 * inside its data handler).
 */
import zookeeper from 'node-zookeeper-client';
import type { Event as LibraryEvent } from 'node-zookeeper-client';
import type { ZkWatchEventType, ZkWatcher } from './zk-types.js';
import type { ZkLogger } from './zk-logger.js';

const EVENT_TYPES: Record<number, ZkWatchEventType> = {
  [zookeeper.Event.NODE_CREATED]: 'created',
  [zookeeper.Event.NODE_DELETED]: 'deleted',
  [zookeeper.Event.NODE_DATA_CHANGED]: 'data_changed',
  [zookeeper.Event.NODE_CHILDREN_CHANGED]: 'children_changed',
};

/** `isLive` false (client closed) drops the event. */
export function adaptWatcher(watcher: ZkWatcher, isLive: () => boolean, logger: ZkLogger): (event: LibraryEvent) => void {
  return (event) => {
    const type = EVENT_TYPES[event.getType()];
    if (!type || !isLive()) return;
    try {
      watcher({ type, path: event.getPath() });
    } catch (err) {
      logger.error({ path: event.getPath(), err }, 'ZooKeeper watcher threw');
    }
  };
}

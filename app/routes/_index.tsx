export default function Index() { return <h1>Atlas9</h1>; }
